using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Infrastructure.Identifiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// Turns an org's change log into deliveries: in one transaction that holds the org's cursor row
/// (<c>FOR UPDATE SKIP LOCKED</c>, so one process at a time and the others move on), it reads the
/// events after the cursor, matches each against every webhook's events, filters and active range,
/// writes one delivery per match with the exact body to send, and moves the cursor. A crash before
/// commit leaves the cursor where it was: events are turned into deliveries once, never lost.
/// </summary>
public sealed class WebhookFanOut(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookFanOut> logger)
{
    public const int BatchSize = 500;

    /// <summary>The orgs whose log has moved past their webhook cursor (across orgs: a definer function, see the RowLevelSecurity migration).</summary>
    public async Task<IReadOnlyList<string>> OrgsBehindAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        return await db.Database.SqlQuery<string>($"SELECT activityfeed_orgs_behind_webhooks() AS \"Value\"").ToListAsync(cancellationToken);
    }

    /// <summary>
    /// ULIDs made in one millisecond sort at random; the batch's ids are handed out again in sorted
    /// order, so a webhook's deliveries list (newest first by id) follows the log within a batch too.
    /// </summary>
    private static IEnumerable<WebhookDelivery> InLogOrder(List<WebhookDelivery> deliveries)
    {
        var ids = deliveries.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        var eventIds = deliveries.Select(d => d.EventId).Distinct().Order(StringComparer.Ordinal).ToArray();
        var eventIdOf = deliveries.Select(d => d.EventId).Distinct().Select((id, i) => (id, i)).ToDictionary(p => p.id, p => eventIds[p.i]);
        return deliveries.Select((d, i) => new WebhookDelivery
        {
            OrgId = d.OrgId,
            Id = ids[i],
            WebhookId = d.WebhookId,
            EventId = eventIdOf[d.EventId],
            EventType = d.EventType,
            ActivityId = d.ActivityId,
            Payload = d.Payload,
            Status = d.Status,
            NextAttemptAt = d.NextAttemptAt,
            CreatedAt = d.CreatedAt,
            GiveUpAt = d.GiveUpAt,
        });
    }

    /// <returns>Deliveries written, and whether a full batch was read (more may follow). Zero and false when another process holds the org.</returns>
    public async Task<(int Deliveries, bool More)> FanOutAsync(string orgId, CancellationToken cancellationToken)
    {
        using var orgScope = OrgScope.Enter(orgId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cursor = (await db.WebhookCursors.FromSql($"SELECT * FROM webhook_cursors WHERE org_id = {orgId} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (cursor is null)
        {
            return (0, false);
        }

        var (_, sweptThrough) = await ChangeLog.PositionAsync(db, orgId, cancellationToken);
        if (sweptThrough > cursor.Position)
        {
            // Only when no process delivered for longer than the log's retention (ActivityFeed:Streams:Retention).
            logger.LogError("Org {OrgId}: change events {From} to {Through} were removed by retention before webhooks were sent for them; they are not delivered",
                orgId, cursor.Position + 1, sweptThrough);
        }

        var events = await db.ChangeEvents.AsNoTracking()
            .Where(e => e.OrgId == orgId && e.Position > cursor.Position)
            .OrderBy(e => e.Position)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return (0, false);
        }

        var from = cursor.Position;
        var webhooks = (await db.Webhooks.AsNoTracking()
                .Where(w => w.OrgId == orgId && (w.ActiveThrough == null || w.ActiveThrough > from))
                .Select(w => new { w.Id, w.Events, w.Filters, w.ActiveAfter, w.ActiveThrough })
                .ToListAsync(cancellationToken))
            .Select(w => (w.Id, w.Events, Filters: WebhookFilters.Parse(w.Filters), w.ActiveAfter, w.ActiveThrough))
            .ToList();

        var deliveries = new List<WebhookDelivery>();
        if (webhooks.Count > 0)
        {
            var changedIds = events.Where(e => e.Kind != ChangeKinds.Deleted).Select(e => e.ActivityId).Distinct().ToArray();
            // One statement, joined to the directory: the activities as they are now, as response rows.
            var rows = await ActivityRows.ByIdsAsync(db, orgId, changedIds, cancellationToken);
            var activities = rows.ToDictionary(r => r.Activity.Id, r => r.Activity);
            var responses = rows.ToDictionary(r => r.Activity.Id, ActivityMapping.ToResponse);
            var now = clock.GetUtcNow();
            foreach (var change in events)
            {
                Activity? subject; // what the filters look at; null for an erasure, which keeps nothing to match
                object data;
                if (change.Kind == ChangeKinds.Deleted)
                {
                    subject = change.Snapshot is { } snapshot ? ActivityMapping.ToFilterable(orgId, ActivityMapping.Deserialize<ActivityResponse>(snapshot)) : null;
                    data = new DeletedActivityData(change.ActivityId);
                }
                else if (activities.TryGetValue(change.ActivityId, out var activity))
                {
                    subject = activity;
                    data = responses[activity.Id];
                }
                else
                {
                    continue; // deleted since: its delete event follows
                }

                string? payload = null;
                var eventId = Ids.New("evt");
                var type = WebhookEvents.FromKind(change.Kind);
                foreach (var webhook in webhooks)
                {
                    var inRange = change.Position > webhook.ActiveAfter && (webhook.ActiveThrough is not { } through || change.Position <= through);
                    // An erased activity's delete reaches every webhook that takes deletes: a receiver that
                    // synced it must hear of the erasure, and without its last state no filter can be judged.
                    if (!inRange || !webhook.Events.Contains(change.Kind) || (subject is not null && !webhook.Filters.Matches(subject)))
                    {
                        continue;
                    }

                    payload ??= ActivityMapping.Serialize(new WebhookEventBody(type, change.CreatedAt, data));
                    deliveries.Add(new WebhookDelivery
                    {
                        OrgId = orgId,
                        Id = Ids.New("dlv"),
                        WebhookId = webhook.Id,
                        EventId = eventId,
                        EventType = type,
                        ActivityId = change.ActivityId,
                        Payload = payload,
                        Status = DeliveryStatus.Pending,
                        NextAttemptAt = now,
                        CreatedAt = Infrastructure.Json.Timestamps.Truncate(now),
                        GiveUpAt = change.CreatedAt + options.Value.GiveUpAfter,
                    });
                }
            }
        }

        db.WebhookDeliveries.AddRange(InLogOrder(deliveries));
        cursor.Position = events[^1].Position;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (deliveries.Count, events.Count == BatchSize);
    }
}
