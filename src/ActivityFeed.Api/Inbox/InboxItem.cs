using ActivityFeed.Api.Activities;

namespace ActivityFeed.Api.Inbox;

/// <summary>
/// One activity in one recipient's inbox with that user's state. The activity's sort timestamps
/// are copied in so the inbox pages on its own indexes without touching the activities table.
/// </summary>
public sealed class InboxItem
{
    public required string OrgId { get; init; }
    public required string UserId { get; init; }
    public required string ActivityId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? SeenAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }

    public Activity? Activity { get; init; }
}
