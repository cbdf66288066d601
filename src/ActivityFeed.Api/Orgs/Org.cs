namespace ActivityFeed.Api.Orgs;

/// <summary>A tenant. Every other row belongs to exactly one org and is keyed by it first.</summary>
public sealed class Org
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// How far any of the org's activities occurs after it was created (zero when none is dated in
    /// the future), kept by a trigger on insert. It never shrinks, so it bounds occurred_at by
    /// created_at: a feed filtered on created_at and sorted by occurred_at starts its index walk there.
    /// </summary>
    public TimeSpan OccurredLead { get; init; }
}
