using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Directory;

/// <summary>
/// Fills the embedded actor, assistant, segment, broadcast and note user of a page of activities
/// from the directory as it is now: one query per kind that the page refers to (at most four),
/// whatever the page size. Ids the directory does not know stay objects with only their id.
/// </summary>
public sealed class DirectoryEnricher(ActivityFeedDb db)
{
    public Task<IReadOnlyList<ActivityResponse>> EnrichAsync(string orgId, IReadOnlyList<ActivityResponse> items, CancellationToken cancellationToken) =>
        EnrichAsync(orgId, items, KnownEntries.None, cancellationToken);

    /// <summary>As above, reading only the entries that <paramref name="known"/> (what the caller just stored) lacks.</summary>
    public async Task<IReadOnlyList<ActivityResponse>> EnrichAsync(string orgId, IReadOnlyList<ActivityResponse> items, KnownEntries known, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return items;
        }

        var userIds = Missing(items.Select(i => i.Actor?.Id).Concat(items.Select(i => i.Note?.User?.Id)), known.Users);
        var assistantIds = Missing(items.Select(i => i.Assistant?.Id), known.Assistants);
        var segmentIds = Missing(items.Select(i => i.Segment?.Id), known.Segments);
        var broadcastIds = Missing(items.Select(i => i.Broadcast?.Id), known.Broadcasts);

        var users = userIds.Length == 0 ? new Dictionary<string, ActorObject>(known.Users) : With(known.Users, await db.Users.AsNoTracking()
            .Where(u => u.OrgId == orgId && userIds.Contains(u.Id))
            .Select(u => new ActorObject(u.Id, u.Name, u.Email, u.Avatar, u.SeenAt))
            .ToListAsync(cancellationToken), u => u.Id);
        var assistants = assistantIds.Length == 0 ? new Dictionary<string, AssistantObject>(known.Assistants) : With(known.Assistants, await db.Assistants.AsNoTracking()
            .Where(a => a.OrgId == orgId && assistantIds.Contains(a.Id))
            .Select(a => new AssistantObject(a.Id, a.Name, a.AvatarUrl))
            .ToListAsync(cancellationToken), a => a.Id);
        var segments = segmentIds.Length == 0 ? new Dictionary<string, SegmentObject>(known.Segments) : With(known.Segments, (await db.Segments.AsNoTracking()
                .Where(s => s.OrgId == orgId && segmentIds.Contains(s.Id))
                .ToListAsync(cancellationToken))
            .Select(s => new SegmentObject(s.Id, s.Name, s.Color, s.ContactsCount, DirectoryApi.Boards(s.Boards), s.CreatedAt, s.UpdatedAt)), s => s.Id);
        var broadcasts = broadcastIds.Length == 0 ? new Dictionary<string, BroadcastObject>(known.Broadcasts) : With(known.Broadcasts, await db.Broadcasts.AsNoTracking()
            .Where(b => b.OrgId == orgId && broadcastIds.Contains(b.Id))
            .Select(b => new BroadcastObject(b.Id, b.Name))
            .ToListAsync(cancellationToken), b => b.Id);

        return items.Select(item => item with
        {
            Actor = item.Actor is { } actor ? users.GetValueOrDefault(actor.Id, new ActorObject(actor.Id)) : null,
            Assistant = item.Assistant is { } assistant ? assistants.GetValueOrDefault(assistant.Id, new AssistantObject(assistant.Id)) : null,
            Segment = item.Segment is { } segment ? segments.GetValueOrDefault(segment.Id, new SegmentObject(segment.Id)) : null,
            Broadcast = item.Broadcast is { } broadcast ? broadcasts.GetValueOrDefault(broadcast.Id, new BroadcastObject(broadcast.Id)) : null,
            Note = item.Note is { User: { } noteUser } note
                ? note with { User = users.TryGetValue(noteUser.Id, out var user) ? new NoteUserObject(user.Id, user.Name, user.Avatar) : new NoteUserObject(noteUser.Id) }
                : item.Note,
        }).ToList();
    }

    public async Task<ActivityResponse> EnrichAsync(string orgId, ActivityResponse item, CancellationToken cancellationToken) =>
        (await EnrichAsync(orgId, [item], cancellationToken))[0];

    private static string[] Missing<T>(IEnumerable<string?> ids, IReadOnlyDictionary<string, T> known) =>
        [.. Ids(ids).Where(id => !known.ContainsKey(id))];

    private static Dictionary<string, T> With<T>(IReadOnlyDictionary<string, T> known, IEnumerable<T> read, Func<T, string> id)
    {
        var all = new Dictionary<string, T>(known, StringComparer.Ordinal);
        foreach (var entry in read)
        {
            all[id(entry)] = entry;
        }

        return all;
    }

    private static string[] Ids(IEnumerable<string?> ids) => [.. ids.Where(id => id is not null).Distinct(StringComparer.Ordinal)!];
}
