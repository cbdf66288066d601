namespace ActivityFeed.Api.Activities;

/// <summary>
/// One row of the feed. Embedded objects (note, file, attachments) and the type-specific
/// metadata are stored as jsonb; everything a feed filters or sorts on is a plain column.
/// </summary>
public sealed class Activity
{
    public required string OrgId { get; init; }
    public required string Id { get; init; }
    public required string Type { get; init; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string? ActorId { get; set; }
    public string? AssistantId { get; set; }
    public string? ContactId { get; set; }
    public string? VisitorId { get; set; }
    public string? CustomerId { get; set; }
    public string? TableId { get; set; }
    public string? RecordId { get; set; }
    public string? SegmentId { get; set; }
    public string? BroadcastId { get; set; }
    public string? RelationType { get; set; }
    public string? RelationId { get; set; }

    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? FormattedDescription { get; set; }
    public string? Comment { get; set; }
    public string? Note { get; set; }
    public string? File { get; set; }
    public string? Attachments { get; set; }
    public string[] Tags { get; set; } = [];
    public DateTimeOffset? PinnedAt { get; set; }
    public string? Channel { get; set; }
    public string[] Recipients { get; set; } = [];
    public string? ExternalId { get; set; }
    public string Metadata { get; set; } = "{}";

    /// <summary>Hash of the creating request, so a repeated external_id can be told apart from a conflicting one.</summary>
    public byte[]? RequestHash { get; set; }
}
