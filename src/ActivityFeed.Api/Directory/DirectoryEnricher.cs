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
    public async Task<IReadOnlyList<ActivityResponse>> EnrichAsync(string orgId, IReadOnlyList<ActivityResponse> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return items;
        }

        var userIds = Ids(items.Select(i => i.Actor?.Id).Concat(items.Select(i => i.Note?.User?.Id)));
        var assistantIds = Ids(items.Select(i => i.Assistant?.Id));
        var segmentIds = Ids(items.Select(i => i.Segment?.Id));
        var broadcastIds = Ids(items.Select(i => i.Broadcast?.Id));

        var users = userIds.Length == 0 ? [] : await db.Users.AsNoTracking()
            .Where(u => u.OrgId == orgId && userIds.Contains(u.Id))
            .Select(u => new ActorObject(u.Id, u.Name, u.Email, u.Avatar, u.SeenAt))
            .ToDictionaryAsync(u => u.Id, cancellationToken);
        var assistants = assistantIds.Length == 0 ? [] : await db.Assistants.AsNoTracking()
            .Where(a => a.OrgId == orgId && assistantIds.Contains(a.Id))
            .Select(a => new AssistantObject(a.Id, a.Name, a.AvatarUrl))
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        var segments = segmentIds.Length == 0 ? [] : (await db.Segments.AsNoTracking()
                .Where(s => s.OrgId == orgId && segmentIds.Contains(s.Id))
                .ToListAsync(cancellationToken))
            .ToDictionary(s => s.Id, s => new SegmentObject(s.Id, s.Name, s.Color, s.ContactsCount, DirectoryApi.Boards(s.Boards), s.CreatedAt, s.UpdatedAt));
        var broadcasts = broadcastIds.Length == 0 ? [] : await db.Broadcasts.AsNoTracking()
            .Where(b => b.OrgId == orgId && broadcastIds.Contains(b.Id))
            .Select(b => new BroadcastObject(b.Id, b.Name))
            .ToDictionaryAsync(b => b.Id, cancellationToken);

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

    /// <summary>
    /// For rows whose actor, assistant, segment and broadcast came joined (<see cref="ActivityRows"/>):
    /// fills the note users only, with one query when the page has any.
    /// </summary>
    public async Task<IReadOnlyList<ActivityResponse>> EnrichNoteUsersAsync(string orgId, IReadOnlyList<ActivityResponse> items, CancellationToken cancellationToken)
    {
        var userIds = Ids(items.Select(i => i.Note?.User?.Id));
        if (userIds.Length == 0)
        {
            return items;
        }

        var users = await db.Users.AsNoTracking()
            .Where(u => u.OrgId == orgId && userIds.Contains(u.Id))
            .Select(u => new NoteUserObject(u.Id, u.Name, u.Avatar))
            .ToDictionaryAsync(u => u.Id, cancellationToken);
        return items.Select(item => item.Note is { User: { } noteUser } note
            ? item with { Note = note with { User = users.GetValueOrDefault(noteUser.Id, noteUser) } }
            : item).ToList();
    }

    public async Task<ActivityResponse> EnrichAsync(string orgId, ActivityResponse item, CancellationToken cancellationToken) =>
        (await EnrichAsync(orgId, [item], cancellationToken))[0];

    private static string[] Ids(IEnumerable<string?> ids) => [.. ids.Where(id => id is not null).Distinct(StringComparer.Ordinal)!];
}
