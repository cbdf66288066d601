namespace ActivityFeed.Api.Activities.Idempotency;

/// <summary>
/// A write made under an Idempotency-Key: the hash of its request and the response it produced.
/// Inserted in the same transaction as the write, so its primary key is what makes concurrent
/// duplicates wait for the first and then replay it.
/// </summary>
public sealed class IdempotencyKey
{
    public required string OrgId { get; init; }
    public required string Key { get; init; }
    public required byte[] RequestHash { get; init; }
    public int ResponseStatus { get; init; }
    public required string ResponseBody { get; init; }

    /// <summary>The activities the write created, so erasing them also erases this copy of their data.</summary>
    public required string[] ActivityIds { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
