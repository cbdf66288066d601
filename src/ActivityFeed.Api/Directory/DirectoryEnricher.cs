using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Directory;

/// <summary>The directory entries a row refers to by id: its actor, assistant, segment, broadcast and note user.</summary>
public readonly record struct EmbeddedIds(string? ActorId, string? AssistantId, string? SegmentId, string? BroadcastId, string? NoteUserId);

/// <summary>
/// The directory entries that rows read without their joins refer to (written or changed rows,
/// inbox items, change payloads), as they are now: one query per kind the rows refer to (at most
/// four), whatever their number. An id the directory does not know gets no entry (null), and the
/// response shows the object with only its id. Pages read by one statement join
/// <see cref="EmbeddedEntriesSql"/> instead.
/// </summary>
public sealed class DirectoryEnricher(ActivityFeedDb db)
{
    /// <param name="known">Entries the caller already has (what it just stored): not read again.</param>
    /// <returns>The entries of each row, in the order of <paramref name="rows"/>.</returns>
    public async Task<IReadOnlyList<EmbeddedEntries>> ReadAsync(string orgId, IReadOnlyList<EmbeddedIds> rows, KnownEntries known, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var userIds = Missing(rows.Select(i => i.ActorId).Concat(rows.Select(i => i.NoteUserId)), known.Users);
        var assistantIds = Missing(rows.Select(i => i.AssistantId), known.Assistants);
        var segmentIds = Missing(rows.Select(i => i.SegmentId), known.Segments);
        var broadcastIds = Missing(rows.Select(i => i.BroadcastId), known.Broadcasts);

        var users = userIds.Length == 0 ? known.Users : With(known.Users, await db.Users.AsNoTracking()
            .Where(u => u.OrgId == orgId && userIds.Contains(u.Id))
            .Select(u => new ActorObject(u.Id, u.Name, u.Email, u.Avatar, u.SeenAt))
            .ToListAsync(cancellationToken), u => u.Id);
        var assistants = assistantIds.Length == 0 ? known.Assistants : With(known.Assistants, await db.Assistants.AsNoTracking()
            .Where(a => a.OrgId == orgId && assistantIds.Contains(a.Id))
            .Select(a => new AssistantObject(a.Id, a.Name, a.AvatarUrl))
            .ToListAsync(cancellationToken), a => a.Id);
        var segments = segmentIds.Length == 0 ? known.Segments : With(known.Segments, (await db.Segments.AsNoTracking()
                .Where(s => s.OrgId == orgId && segmentIds.Contains(s.Id))
                .ToListAsync(cancellationToken))
            .Select(s => new SegmentObject(s.Id, s.Name, s.Color, s.ContactsCount, DirectoryApi.Boards(s.Boards), s.CreatedAt, s.UpdatedAt)), s => s.Id);
        var broadcasts = broadcastIds.Length == 0 ? known.Broadcasts : With(known.Broadcasts, await db.Broadcasts.AsNoTracking()
            .Where(b => b.OrgId == orgId && broadcastIds.Contains(b.Id))
            .Select(b => new BroadcastObject(b.Id, b.Name))
            .ToListAsync(cancellationToken), b => b.Id);

        return [.. rows.Select(row => new EmbeddedEntries(
            Find(users, row.ActorId),
            Find(assistants, row.AssistantId),
            Find(segments, row.SegmentId),
            Find(broadcasts, row.BroadcastId),
            Find(users, row.NoteUserId) is { } noteUser ? new NoteUserObject(noteUser.Id, noteUser.Name, noteUser.Avatar) : null))];
    }

    private static T? Find<T>(IReadOnlyDictionary<string, T> entries, string? id) where T : class =>
        id is not null && entries.TryGetValue(id, out var entry) ? entry : null;

    private static string[] Missing<T>(IEnumerable<string?> ids, IReadOnlyDictionary<string, T> known) =>
        [.. ids.OfType<string>().Distinct(StringComparer.Ordinal).Where(id => !known.ContainsKey(id))];

    private static Dictionary<string, T> With<T>(IReadOnlyDictionary<string, T> known, IEnumerable<T> read, Func<T, string> id)
    {
        var all = new Dictionary<string, T>(known, StringComparer.Ordinal);
        foreach (var entry in read)
        {
            all[id(entry)] = entry;
        }

        return all;
    }
}
