using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Inbox;

/// <summary>What the activity writers need of the inbox: fan-out on create, and the copied sort column on patch.</summary>
public static class InboxDelivery
{
    /// <summary>
    /// One inbox item per distinct recipient of each activity, in one statement inside the writer's
    /// transaction (after the activities are written; none when nobody receives them), so it commits
    /// or rolls back with them and the counters' trigger runs once, taking each recipient's counter
    /// row in order. The writer sends it with its COMMIT, so those counter rows are held briefly.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands(string orgId, IReadOnlyList<Activity> created)
    {
        var deliveries = created.SelectMany(a => a.Recipients.Distinct(StringComparer.Ordinal).Select(user => (User: user, Activity: a))).ToList();
        if (deliveries.Count == 0)
        {
            yield break;
        }

        yield return SqlBatch.Command("""
            INSERT INTO inbox_items (org_id, user_id, activity_id, occurred_at, created_at, updated_at)
            SELECT $1, d.user_id, d.activity_id, d.occurred_at, d.created_at, d.updated_at
            FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
                 AS d(user_id, activity_id, occurred_at, created_at, updated_at)
            ORDER BY d.user_id, d.activity_id
            """, orgId, deliveries.Select(d => d.User).ToArray(), deliveries.Select(d => d.Activity.Id).ToArray(),
            deliveries.Select(d => d.Activity.OccurredAt).ToArray(), deliveries.Select(d => d.Activity.CreatedAt).ToArray(),
            deliveries.Select(d => d.Activity.UpdatedAt).ToArray());
    }

    /// <summary>Keeps the items' copy of <c>updated_at</c> equal to the activity's after a patch.</summary>
    public static Task TouchAsync(ActivityFeedDb db, Activity activity, CancellationToken cancellationToken) =>
        db.InboxItems.Where(i => i.OrgId == activity.OrgId && i.ActivityId == activity.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UpdatedAt, activity.UpdatedAt), cancellationToken);
}
