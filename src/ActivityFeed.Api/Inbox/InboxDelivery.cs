using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Inbox;

/// <summary>What the activity writers need of the inbox: fan-out on create, and the copied sort column on patch.</summary>
public static class InboxDelivery
{
    /// <summary>
    /// One inbox item per distinct recipient of each activity, in one statement inside the writer's
    /// transaction (after the activities are saved), so it commits or rolls back with them and the
    /// counters' trigger runs once, taking each recipient's counter row in order.
    /// </summary>
    public static async Task DeliverAsync(ActivityFeedDb db, string orgId, IReadOnlyList<Activity> created, CancellationToken cancellationToken)
    {
        var deliveries = created.SelectMany(a => a.Recipients.Distinct(StringComparer.Ordinal).Select(user => (User: user, Activity: a))).ToList();
        if (deliveries.Count == 0)
        {
            return;
        }

        var users = deliveries.Select(d => d.User).ToArray();
        var ids = deliveries.Select(d => d.Activity.Id).ToArray();
        var occurred = deliveries.Select(d => d.Activity.OccurredAt).ToArray();
        var createdAt = deliveries.Select(d => d.Activity.CreatedAt).ToArray();
        var updated = deliveries.Select(d => d.Activity.UpdatedAt).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO inbox_items (org_id, user_id, activity_id, occurred_at, created_at, updated_at)
            SELECT {orgId}, d.user_id, d.activity_id, d.occurred_at, d.created_at, d.updated_at
            FROM unnest({users}::text[], {ids}::text[], {occurred}::timestamptz[], {createdAt}::timestamptz[], {updated}::timestamptz[])
                 AS d(user_id, activity_id, occurred_at, created_at, updated_at)
            ORDER BY d.user_id, d.activity_id
            """, cancellationToken);
    }

    /// <summary>Keeps the items' copy of <c>updated_at</c> equal to the activity's after a patch.</summary>
    public static Task TouchAsync(ActivityFeedDb db, Activity activity, CancellationToken cancellationToken) =>
        db.InboxItems.Where(i => i.OrgId == activity.OrgId && i.ActivityId == activity.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UpdatedAt, activity.UpdatedAt), cancellationToken);
}
