using System.Text.Json;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Json;
using Npgsql;

namespace ActivityFeed.Api.Directory;

/// <summary>
/// Reads the directory entries rows refer to, and writes the embedded objects of new activities
/// into the directory, inside the caller's transaction. Fields an object leaves out (or sends as null) keep their stored value; within one
/// write, a later mention of the same id wins field by field. One statement per kind, kinds in a
/// fixed order and rows in id order, so concurrent writes naming the same entries lock them in one
/// order; a deadlock or serialization failure that still happens is retried by the writer.
/// </summary>
public static class DirectoryUpserts
{
    private static readonly JsonSerializerOptions Json = JsonSetup.Options;

    /// <param name="referenced">Every entry the written rows refer to by id: read in the same round trip
    /// as the mentioned ones, so the response needs no read of its own.</param>
    /// <param name="preamble">Sent ahead of the first upsert (the first statement here that takes row locks), if any.</param>
    /// <returns>Every mentioned or referenced entry the directory holds, as stored, as the embedded objects a response shows.</returns>
    public static async Task<KnownEntries> ApplyAsync(
        ActivityFeedDb db, string orgId, IEnumerable<EntryMentions> mentions, IReadOnlyCollection<EmbeddedIds> referenced, DateTimeOffset now,
        LockPreamble preamble, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, ActorInput>(StringComparer.Ordinal);
        var assistants = new Dictionary<string, AssistantInput>(StringComparer.Ordinal);
        var segments = new Dictionary<string, SegmentInput>(StringComparer.Ordinal);
        var broadcasts = new Dictionary<string, BroadcastInput>(StringComparer.Ordinal);
        foreach (var mention in mentions)
        {
            if (mention.Actor is { Id: { } actorId } actor)
            {
                users[actorId] = users.TryGetValue(actorId, out var known)
                    ? new ActorInput(actorId, actor.Name ?? known.Name, actor.Email ?? known.Email, actor.Avatar ?? known.Avatar, actor.SeenAt ?? known.SeenAt)
                    : actor;
            }

            if (mention.NoteUser is { Id: { } noteUserId } noteUser)
            {
                users[noteUserId] = users.TryGetValue(noteUserId, out var known)
                    ? known with { Name = noteUser.Name ?? known.Name, Avatar = noteUser.Avatar ?? known.Avatar }
                    : new ActorInput(noteUserId, noteUser.Name, null, noteUser.Avatar);
            }

            if (mention.Assistant is { Id: { } assistantId } assistant)
            {
                assistants[assistantId] = assistants.TryGetValue(assistantId, out var known)
                    ? new AssistantInput(assistantId, assistant.Name ?? known.Name, assistant.AvatarUrl ?? known.AvatarUrl)
                    : assistant;
            }

            if (mention.Segment is { Id: { } segmentId } segment)
            {
                segments[segmentId] = segments.TryGetValue(segmentId, out var known)
                    ? new SegmentInput(segmentId, segment.Name ?? known.Name, segment.Color ?? known.Color, segment.ContactsCount ?? known.ContactsCount, segment.Boards ?? known.Boards)
                    : segment;
            }

            if (mention.Broadcast is { Id: { } broadcastId } broadcast)
            {
                broadcasts[broadcastId] = broadcasts.TryGetValue(broadcastId, out var known) ? new BroadcastInput(broadcastId, broadcast.Name ?? known.Name) : broadcast;
            }
        }

        // Only entries that a mention changes are written (and so locked until commit): a busy actor
        // named the same way on every write costs one read, not a row lock that serialises its writes.
        // The read takes no locks, so the preamble waits for the upserts.
        var current = await ReadAsync(db, orgId, [
            .. referenced,
            .. users.Keys.Select(id => new EmbeddedIds(id, null, null, null, null)),
            .. assistants.Keys.Select(id => new EmbeddedIds(null, id, null, null, null)),
            .. segments.Keys.Select(id => new EmbeddedIds(null, null, id, null, null)),
            .. broadcasts.Keys.Select(id => new EmbeddedIds(null, null, null, id, null)),
        ], cancellationToken);
        Keep(users, (id, e) => !current.Users.TryGetValue(id, out var s) || Differs(e.Name, s.Name) || Differs(e.Email, s.Email)
            || Differs(e.Avatar, s.Avatar) || (e.SeenAt is { } seen && seen != s.SeenAt));
        Keep(assistants, (id, e) => !current.Assistants.TryGetValue(id, out var s) || Differs(e.Name, s.Name) || Differs(e.AvatarUrl, s.AvatarUrl));
        Keep(segments, (id, e) => !current.Segments.TryGetValue(id, out var s) || Differs(e.Name, s.Name) || Differs(e.Color, s.Color)
            || (e.ContactsCount is { } count && count != s.ContactsCount) || (e.Boards is { } boards && !boards.SequenceEqual(s.Boards ?? [])));
        Keep(broadcasts, (id, e) => !current.Broadcasts.TryGetValue(id, out var s) || Differs(e.Name, s.Name));

        // One statement per kind, kinds in a fixed order, rows in ordinal id order (WITH ORDINALITY
        // keeps the order the arrays give): concurrent writers take the row locks in one order.
        // All kinds go in one round trip, and each returns its stored rows.
        var commands = new List<(Kind, NpgsqlBatchCommand?)>();
        if (users.Count > 0)
        {
            var u = users.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal).ToArray();
            commands.Add((Kind.User, SqlBatch.Command("""
                INSERT INTO users AS t (org_id, id, name, email, avatar, seen_at, created_at, updated_at)
                SELECT $1, e.id, e.name, e.email, e.avatar, e.seen_at, $2, $2
                FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
                     WITH ORDINALITY AS e(id, name, email, avatar, seen_at, ordinal)
                ORDER BY e.ordinal
                ON CONFLICT (org_id, id) DO UPDATE SET
                    name = COALESCE(excluded.name, t.name), email = COALESCE(excluded.email, t.email),
                    avatar = COALESCE(excluded.avatar, t.avatar), seen_at = COALESCE(excluded.seen_at, t.seen_at),
                    updated_at = excluded.updated_at
                RETURNING t.id, t.name, t.email, t.avatar, t.seen_at
                """, orgId, now, u.Select(e => e.Id!).ToArray(), u.Select(e => e.Name).ToArray(), u.Select(e => e.Email).ToArray(),
                u.Select(e => e.Avatar).ToArray(), u.Select(e => e.SeenAt).ToArray())));
        }

        if (assistants.Count > 0)
        {
            var a = assistants.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal).ToArray();
            commands.Add((Kind.Assistant, SqlBatch.Command("""
                INSERT INTO assistants AS t (org_id, id, name, avatar_url, created_at, updated_at)
                SELECT $1, e.id, e.name, e.avatar_url, $2, $2
                FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(id, name, avatar_url, ordinal)
                ORDER BY e.ordinal
                ON CONFLICT (org_id, id) DO UPDATE SET
                    name = COALESCE(excluded.name, t.name), avatar_url = COALESCE(excluded.avatar_url, t.avatar_url),
                    updated_at = excluded.updated_at
                RETURNING t.id, t.name, t.avatar_url
                """, orgId, now, a.Select(e => e.Id!).ToArray(), a.Select(e => e.Name).ToArray(), a.Select(e => e.AvatarUrl).ToArray())));
        }

        if (segments.Count > 0)
        {
            var g = segments.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal).ToArray();
            // Boards left out keep the stored boards: null here, and the update looks the input up again.
            commands.Add((Kind.Segment, SqlBatch.Command("""
                WITH input AS (
                    SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::integer[], $7::text[])
                        WITH ORDINALITY AS e(id, name, color, contacts_count, boards, ordinal))
                INSERT INTO segments AS t (org_id, id, name, color, contacts_count, boards, created_at, updated_at)
                SELECT $1, e.id, e.name, e.color, e.contacts_count, COALESCE(e.boards::jsonb, '[]'::jsonb), $2, $2
                FROM input AS e
                ORDER BY e.ordinal
                ON CONFLICT (org_id, id) DO UPDATE SET
                    name = COALESCE(excluded.name, t.name), color = COALESCE(excluded.color, t.color),
                    contacts_count = COALESCE(excluded.contacts_count, t.contacts_count),
                    boards = COALESCE((SELECT i.boards::jsonb FROM input AS i WHERE i.id = excluded.id), t.boards),
                    updated_at = excluded.updated_at
                RETURNING t.id, t.name, t.color, t.contacts_count, t.boards::text, t.created_at, t.updated_at
                """, orgId, now, g.Select(e => e.Id!).ToArray(), g.Select(e => e.Name).ToArray(), g.Select(e => e.Color).ToArray(),
                g.Select(e => e.ContactsCount).ToArray(), g.Select(e => e.Boards is null ? null : JsonSerializer.Serialize(e.Boards, Json)).ToArray())));
        }

        if (broadcasts.Count > 0)
        {
            var b = broadcasts.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal).ToArray();
            commands.Add((Kind.Broadcast, SqlBatch.Command("""
                INSERT INTO broadcasts AS t (org_id, id, name, created_at, updated_at)
                SELECT $1, e.id, e.name, $2, $2
                FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS e(id, name, ordinal)
                ORDER BY e.ordinal
                ON CONFLICT (org_id, id) DO UPDATE SET name = COALESCE(excluded.name, t.name), updated_at = excluded.updated_at
                RETURNING t.id, t.name
                """, orgId, now, b.Select(e => e.Id!).ToArray(), b.Select(e => e.Name).ToArray())));
        }

        return commands.Count == 0 ? current : await RunAsync(db, preamble.Take(), commands, current, cancellationToken);
    }

    /// <summary>
    /// Every entry that <paramref name="rows"/> refer to and the directory holds, in one round trip
    /// (a statement per kind the rows refer to). Ids it does not hold have no entry.
    /// </summary>
    public static Task<KnownEntries> ReadAsync(ActivityFeedDb db, string orgId, IReadOnlyCollection<EmbeddedIds> rows, CancellationToken cancellationToken)
    {
        var userIds = Ids(rows.Select(r => r.ActorId).Concat(rows.Select(r => r.NoteUserId)));
        var assistantIds = Ids(rows.Select(r => r.AssistantId));
        var segmentIds = Ids(rows.Select(r => r.SegmentId));
        var broadcastIds = Ids(rows.Select(r => r.BroadcastId));
        return RunAsync(db, [], [
            (Kind.User, userIds.Length == 0 ? null : SqlBatch.Command(
                "SELECT id, name, email, avatar, seen_at FROM users WHERE org_id = $1 AND id = ANY($2)", orgId, userIds)),
            (Kind.Assistant, assistantIds.Length == 0 ? null : SqlBatch.Command(
                "SELECT id, name, avatar_url FROM assistants WHERE org_id = $1 AND id = ANY($2)", orgId, assistantIds)),
            (Kind.Segment, segmentIds.Length == 0 ? null : SqlBatch.Command(
                "SELECT id, name, color, contacts_count, boards::text, created_at, updated_at FROM segments WHERE org_id = $1 AND id = ANY($2)", orgId, segmentIds)),
            (Kind.Broadcast, broadcastIds.Length == 0 ? null : SqlBatch.Command(
                "SELECT id, name FROM broadcasts WHERE org_id = $1 AND id = ANY($2)", orgId, broadcastIds)),
        ], KnownEntries.None, cancellationToken);
    }

    private static string[] Ids(IEnumerable<string?> ids) => [.. ids.OfType<string>().Distinct(StringComparer.Ordinal)];

    private enum Kind
    {
        User,
        Assistant,
        Segment,
        Broadcast,
    }

    private static bool Differs(string? mentioned, string? stored) => mentioned is not null && mentioned != stored;

    private static void Keep<T>(Dictionary<string, T> entries, Func<string, T, bool> keep)
    {
        foreach (var (id, entry) in entries.ToList())
        {
            if (!keep(id, entry))
            {
                entries.Remove(id);
            }
        }
    }

    /// <summary>
    /// Runs the statements (null ones skipped) in one round trip; each returns directory rows of its
    /// kind (id first, then the embedded object's members), which replace those of <paramref name="over"/>.
    /// </summary>
    private static async Task<KnownEntries> RunAsync(
        ActivityFeedDb db, IReadOnlyList<NpgsqlBatchCommand> first, IReadOnlyList<(Kind Kind, NpgsqlBatchCommand? Command)> statements, KnownEntries over, CancellationToken cancellationToken)
    {
        var present = statements.Where(s => s.Command is not null).ToList();
        if (present.Count == 0)
        {
            if (first.Count > 0)
            {
                await SqlBatch.ExecuteAsync(db, first, cancellationToken);
            }

            return over;
        }

        var users = new Dictionary<string, ActorObject>(over.Users, StringComparer.Ordinal);
        var assistants = new Dictionary<string, AssistantObject>(over.Assistants, StringComparer.Ordinal);
        var segments = new Dictionary<string, SegmentObject>(over.Segments, StringComparer.Ordinal);
        var broadcasts = new Dictionary<string, BroadcastObject>(over.Broadcasts, StringComparer.Ordinal);
        // Statements that return no rows have no result set for the reader: it goes straight to the first read.
        return await SqlBatch.ReadAsync(db, first.Concat(present.Select(s => s.Command!)), async reader =>
        {
            foreach (var (kind, _) in present)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetString(0);
                    string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
                    switch (kind)
                    {
                        case Kind.User:
                            users[id] = new ActorObject(id, Text(1), Text(2), Text(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
                            break;
                        case Kind.Assistant:
                            assistants[id] = new AssistantObject(id, Text(1), Text(2));
                            break;
                        case Kind.Segment:
                            segments[id] = new SegmentObject(id, Text(1), Text(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                                DirectoryApi.Boards(reader.GetString(4)), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6));
                            break;
                        default:
                            broadcasts[id] = new BroadcastObject(id, Text(1));
                            break;
                    }
                }

                await reader.NextResultAsync(cancellationToken);
            }

            return new KnownEntries(users, assistants, segments, broadcasts);
        }, cancellationToken);
    }
}
