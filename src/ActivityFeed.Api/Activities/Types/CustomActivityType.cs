namespace ActivityFeed.Api.Activities.Types;

/// <summary>An org's own activity type with the JSON Schema its metadata must satisfy.</summary>
public sealed class CustomActivityType
{
    public required string OrgId { get; init; }
    public required string Name { get; init; }
    public string? Description { get; set; }
    public required string MetadataSchema { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
