using System.Linq.Expressions;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Inbox;

/// <summary>
/// One user's inbox items matching a tab and the feed filters. Time ranges and the sort use the
/// item's own copies of the timestamps (its indexes); any other filter is an EXISTS on the activity
/// by primary key, so lists, counts and mark-all share one definition of "matches".
/// </summary>
public static class InboxQuery
{
    public static IQueryable<InboxItem> Matching(ActivityFeedDb db, string orgId, string userId, InboxStatus status, FeedFilters filters)
    {
        var items = db.InboxItems.AsNoTracking().Where(i => i.OrgId == orgId && i.UserId == userId);
        items = status switch
        {
            InboxStatus.Unread => items.Where(i => i.ArchivedAt == null && i.ReadAt == null),
            InboxStatus.Read => items.Where(i => i.ArchivedAt == null && i.ReadAt != null),
            InboxStatus.Unseen => items.Where(i => i.ArchivedAt == null && i.SeenAt == null),
            InboxStatus.Archived => items.Where(i => i.ArchivedAt != null),
            _ => items.Where(i => i.ArchivedAt == null),
        };
        items = FeedQuery.InRange(items, i => i.OccurredAt, filters.OccurredAt);
        items = FeedQuery.InRange(items, i => i.CreatedAt, filters.CreatedAt);
        items = FeedQuery.InRange(items, i => i.UpdatedAt, filters.UpdatedAt);
        if (filters.FiltersBeyondTimeRanges)
        {
            var activities = FeedQuery.Filtered(db, orgId, filters.WithoutTimeRanges());
            items = items.Where(i => activities.Any(a => a.Id == i.ActivityId));
        }

        return items;
    }

    /// <summary>One statement, three subqueries: each count reads its own partial index (index-only when the table is vacuumed).</summary>
    public static IQueryable<InboxCountsResponse> Counts(ActivityFeedDb db, string orgId, IQueryable<InboxItem> matching) =>
        db.Orgs.Where(o => o.Id == orgId)
            .Select(_ => new InboxCountsResponse(matching.LongCount(i => i.ReadAt == null), matching.LongCount(i => i.SeenAt == null), matching.LongCount()));

    public static IQueryable<InboxItem> Page(IQueryable<InboxItem> matching, FeedFilters filters, FeedCursor? after) =>
        FeedQuery.Keyset(matching, SortKey(filters.SortBy), i => i.ActivityId, filters.Descending, after);

    private static Expression<Func<InboxItem, DateTimeOffset>> SortKey(SortField field) => field switch
    {
        SortField.CreatedAt => i => i.CreatedAt,
        SortField.UpdatedAt => i => i.UpdatedAt,
        _ => i => i.OccurredAt,
    };
}
