using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Inbox;

/// <summary>Changes of inbox state, for the inbox's own actions and for other features' paths to one user's items (the CRM dialect).</summary>
public static class InboxMarks
{
    /// <summary>One set-based UPDATE; the condition keeps items already in the wanted state out, so the count is of real changes.</summary>
    public static Task<int> MarkAsync(IQueryable<InboxItem> items, InboxAction action, DateTimeOffset now, CancellationToken cancellationToken) => action switch
    {
        // Reading an item also marks it seen.
        InboxAction.Read => items.Where(i => i.ReadAt == null || i.SeenAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ReadAt, i => i.ReadAt ?? now).SetProperty(i => i.SeenAt, i => i.SeenAt ?? now), cancellationToken),
        InboxAction.Unread => items.Where(i => i.ReadAt != null).ExecuteUpdateAsync(s => s.SetProperty(i => i.ReadAt, (DateTimeOffset?)null), cancellationToken),
        InboxAction.Seen => items.Where(i => i.SeenAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.SeenAt, now), cancellationToken),
        InboxAction.Unseen => items.Where(i => i.SeenAt != null).ExecuteUpdateAsync(s => s.SetProperty(i => i.SeenAt, (DateTimeOffset?)null), cancellationToken),
        InboxAction.Archive => items.Where(i => i.ArchivedAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.ArchivedAt, now), cancellationToken),
        _ => items.Where(i => i.ArchivedAt != null).ExecuteUpdateAsync(s => s.SetProperty(i => i.ArchivedAt, (DateTimeOffset?)null), cancellationToken),
    };

    /// <summary>Read at a given time (and seen then, unless seen before); counts the item when its read_at changed.</summary>
    public static Task<int> MarkReadAtAsync(IQueryable<InboxItem> items, DateTimeOffset readAt, CancellationToken cancellationToken) =>
        items.Where(i => i.ReadAt == null || i.ReadAt != readAt)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ReadAt, readAt).SetProperty(i => i.SeenAt, i => i.SeenAt ?? readAt), cancellationToken);

    /// <summary>One user's item of one activity, archived or not.</summary>
    public static IQueryable<InboxItem> Item(Data.ActivityFeedDb db, string orgId, string userId, string activityId) =>
        db.InboxItems.Where(i => i.OrgId == orgId && i.UserId == userId && i.ActivityId == activityId);
}
