using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Inbox;

/// <summary>What the activity writers need of the inbox: fan-out on create, and the copied sort column on patch.</summary>
public static class InboxDelivery
{
    /// <summary>Adds one inbox item per recipient to the writer's unit of work (so it commits, or not, with the activity).</summary>
    public static void Deliver(ActivityFeedDb db, Activity activity)
    {
        foreach (var userId in activity.Recipients.Distinct(StringComparer.Ordinal))
        {
            db.InboxItems.Add(new InboxItem
            {
                OrgId = activity.OrgId,
                UserId = userId,
                ActivityId = activity.Id,
                OccurredAt = activity.OccurredAt,
                CreatedAt = activity.CreatedAt,
                UpdatedAt = activity.UpdatedAt,
            });
        }
    }

    /// <summary>Keeps the items' copy of <c>updated_at</c> equal to the activity's after a patch.</summary>
    public static Task TouchAsync(ActivityFeedDb db, Activity activity, CancellationToken cancellationToken) =>
        db.InboxItems.Where(i => i.OrgId == activity.OrgId && i.ActivityId == activity.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UpdatedAt, activity.UpdatedAt), cancellationToken);
}
