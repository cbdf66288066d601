namespace ActivityFeed.Api.Inbox;

/// <summary>
/// A user's badge numbers over the items not archived, kept by statement-level triggers on
/// inbox_items (see the InboxCounts migration), so unfiltered counts are one row read whatever
/// the inbox's size. Filtered counts scan the matching items instead.
/// </summary>
public sealed class InboxCount
{
    public required string OrgId { get; init; }
    public required string UserId { get; init; }
    public long Total { get; init; }
    public long Unread { get; init; }
    public long Unseen { get; init; }
}
