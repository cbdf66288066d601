namespace ActivityFeed.Api.Auth;

/// <summary>
/// A token minted by an admin key for one user of the org: reads the org's feeds and that user's
/// own inbox until it expires or is revoked. Only the SHA-256 of the secret is stored.
/// </summary>
public sealed class UserToken
{
    public required string OrgId { get; init; }
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required byte[] SecretHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}
