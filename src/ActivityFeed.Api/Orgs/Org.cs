namespace ActivityFeed.Api.Orgs;

/// <summary>A tenant. Every other row belongs to exactly one org and is keyed by it first.</summary>
public sealed class Org
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
