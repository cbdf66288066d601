using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Inbox;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Streams;

/// <summary>
/// Turns the change log after a position into the messages each subscriber should get: one read
/// of the events, one of their activities (as they are now), one of the inbox states involved,
/// one enrichment; then each subscriber's filters are applied in memory. Deletes are not stream
/// events (the contract streams new and changed activities); they only move the position.
/// </summary>
public sealed class ChangeBatchReader(IServiceScopeFactory scopes)
{
    public const int BatchSize = 500;

    public sealed record Batch(long LastPosition, int EventCount, IReadOnlyList<(StreamSubscriber Subscriber, StreamMessage Message)> Messages);

    /// <param name="currentSubscribers">
    /// Asked after the events are read, so every subscriber that joined before this read gets them:
    /// one that joins later reads its starting position after them.
    /// </param>
    public async Task<Batch> ReadAsync(string orgId, long after, Func<IReadOnlyCollection<StreamSubscriber>> currentSubscribers, CancellationToken cancellationToken)
    {
        using var orgScope = OrgScope.Enter(orgId); // read by the org's shared loop, outside any request
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var events = await db.ChangeEvents.AsNoTracking()
            .Where(e => e.OrgId == orgId && e.Position > after)
            .OrderBy(e => e.Position)
            .Take(BatchSize)
            .Select(e => new { e.Position, e.Kind, e.ActivityId })
            .ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return new Batch(after, 0, []);
        }

        var subscribers = currentSubscribers();
        var messages = new List<(StreamSubscriber, StreamMessage)>();
        var changedIds = events.Where(e => e.Kind != ChangeKinds.Deleted).Select(e => e.ActivityId).Distinct().ToArray();
        if (changedIds.Length > 0 && subscribers.Count > 0)
        {
            // One statement, joined to the directory: the activities as they are now, as response rows.
            var rows = await ActivityRows.ByIdsAsync(db, orgId, changedIds, cancellationToken);
            var activities = rows.ToDictionary(r => r.Activity.Id, r => r.Activity);
            var responses = rows.ToDictionary(r => r.Activity.Id, ActivityMapping.ToResponse);
            var inboxUsers = subscribers.Where(s => s.InboxUser is not null).Select(s => s.InboxUser!).Distinct().ToArray();
            var states = inboxUsers.Length == 0 ? [] : await db.InboxItems.AsNoTracking()
                .Where(i => i.OrgId == orgId && changedIds.Contains(i.ActivityId) && inboxUsers.Contains(i.UserId))
                .Select(i => new { i.UserId, i.ActivityId, i.ReadAt, i.SeenAt, i.ArchivedAt })
                .ToDictionaryAsync(i => (i.UserId, i.ActivityId), cancellationToken);

            var feedMessages = new Dictionary<long, StreamMessage>(); // one per change, shared by every feed stream
            foreach (var change in events.Where(e => e.Kind != ChangeKinds.Deleted))
            {
                if (!activities.TryGetValue(change.ActivityId, out var activity))
                {
                    continue; // deleted since: its delete event follows
                }

                foreach (var subscriber in subscribers.Where(s => s.Filters.Matches(activity)))
                {
                    StreamMessage message;
                    if (subscriber.InboxUser is { } user)
                    {
                        if (!states.TryGetValue((user, activity.Id), out var state))
                        {
                            continue; // not a recipient
                        }

                        message = new StreamMessage(change.Position, StreamMessage.Activity,
                            ActivityMapping.Serialize(new InboxItemResponse(responses[activity.Id], state.ReadAt, state.SeenAt, state.ArchivedAt)));
                    }
                    else if (!feedMessages.TryGetValue(change.Position, out message!))
                    {
                        message = feedMessages[change.Position] = new StreamMessage(change.Position, StreamMessage.Activity, ActivityMapping.Serialize(responses[activity.Id]));
                    }

                    messages.Add((subscriber, message));
                }
            }
        }

        return new Batch(events[^1].Position, events.Count, messages);
    }

    /// <summary>The kept counters of these users of one org (missing rows are zeros).</summary>
    public async Task<IReadOnlyDictionary<string, InboxCountsResponse>> CountsAsync(string orgId, IReadOnlyCollection<string> users, CancellationToken cancellationToken)
    {
        using var orgScope = OrgScope.Enter(orgId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var ids = users.ToArray();
        var found = await db.InboxCounts.AsNoTracking()
            .Where(c => c.OrgId == orgId && ids.Contains(c.UserId))
            .ToDictionaryAsync(c => c.UserId, c => new InboxCountsResponse(c.Unread, c.Unseen, c.Total), cancellationToken);
        return ids.ToDictionary(id => id, id => found.GetValueOrDefault(id) ?? new InboxCountsResponse(0, 0, 0));
    }

    /// <summary>The org's last position and the last one retention removed.</summary>
    public async Task<(long Last, long SweptThrough)> PositionAsync(string orgId, CancellationToken cancellationToken)
    {
        using var orgScope = OrgScope.Enter(orgId);
        await using var scope = scopes.CreateAsyncScope();
        return await ChangeLog.PositionAsync(scope.ServiceProvider.GetRequiredService<ActivityFeedDb>(), orgId, cancellationToken);
    }
}
