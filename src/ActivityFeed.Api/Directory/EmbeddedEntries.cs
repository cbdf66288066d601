using System.Data.Common;

namespace ActivityFeed.Api.Directory;

/// <summary>
/// The directory entries a row's embedded actor, assistant, segment, broadcast and note user show,
/// as the row's own statement joined them; null where the directory has no entry for the id (the
/// response then shows the object with only its id).
/// </summary>
public sealed record EmbeddedEntries(
    ActorObject? Actor, AssistantObject? Assistant, SegmentObject? Segment, BroadcastObject? Broadcast, NoteUserObject? NoteUser)
{
    public static readonly EmbeddedEntries None = new(null, null, null, null, null);
}

/// <summary>
/// How the directory joins its entries onto rows that carry their ids (columns <c>org_id</c>,
/// <c>actor_id</c>, <c>assistant_id</c>, <c>segment_id</c>, <c>broadcast_id</c>, <c>note</c>), and
/// reads them back: a LEFT JOIN per kind on its primary key, so a page and its enrichment are one
/// statement whatever the page size. Owned here so that readers elsewhere never name directory tables.
/// </summary>
public static class EmbeddedEntriesSql
{
    /// <summary>The joined columns, in the order <see cref="Read"/> takes them.</summary>
    public const string Columns =
        "du.id, du.name, du.email, du.avatar, du.seen_at, " +
        "ds.id, ds.name, ds.avatar_url, " +
        "dg.id, dg.name, dg.color, dg.contacts_count, dg.boards, dg.created_at, dg.updated_at, " +
        "db.id, db.name, " +
        "dn.id, dn.name, dn.avatar";

    public const int ColumnCount = 20;

    /// <summary>
    /// The joins onto the rows aliased <paramref name="row"/>: each a LATERAL primary-key lookup
    /// (LIMIT 1 keeps the planner from flattening it), so a page costs its own rows' lookups however
    /// large the directory. As plain joins the planner hashed whole directory tables for a 26-row page.
    /// Ids compare in byte order (COLLATE "C", the keys' collation).
    /// </summary>
    public static string Joins(string row) =>
        $"""
        LEFT JOIN LATERAL (SELECT u.id, u.name, u.email, u.avatar, u.seen_at FROM users u WHERE u.org_id = {row}.org_id AND u.id = {row}.actor_id COLLATE "C" LIMIT 1) du ON true
        LEFT JOIN LATERAL (SELECT s.id, s.name, s.avatar_url FROM assistants s WHERE s.org_id = {row}.org_id AND s.id = {row}.assistant_id COLLATE "C" LIMIT 1) ds ON true
        LEFT JOIN LATERAL (SELECT g.id, g.name, g.color, g.contacts_count, g.boards, g.created_at, g.updated_at FROM segments g WHERE g.org_id = {row}.org_id AND g.id = {row}.segment_id COLLATE "C" LIMIT 1) dg ON true
        LEFT JOIN LATERAL (SELECT b.id, b.name FROM broadcasts b WHERE b.org_id = {row}.org_id AND b.id = {row}.broadcast_id COLLATE "C" LIMIT 1) db ON true
        LEFT JOIN LATERAL (SELECT n.id, n.name, n.avatar FROM users n WHERE n.org_id = {row}.org_id AND n.id = ({row}.note ->> 'user_id') COLLATE "C" LIMIT 1) dn ON true
        """;

    /// <summary>The entries from the row's columns starting at <paramref name="first"/>.</summary>
    public static EmbeddedEntries Read(DbDataReader reader, int first)
    {
        var i = first;
        var actor = reader.IsDBNull(i) ? null
            : new ActorObject(reader.GetString(i), Text(reader, i + 1), Text(reader, i + 2), Text(reader, i + 3), Time(reader, i + 4));
        i += 5;
        var assistant = reader.IsDBNull(i) ? null : new AssistantObject(reader.GetString(i), Text(reader, i + 1), Text(reader, i + 2));
        i += 3;
        var segment = reader.IsDBNull(i) ? null
            : new SegmentObject(reader.GetString(i), Text(reader, i + 1), Text(reader, i + 2),
                reader.IsDBNull(i + 3) ? null : reader.GetInt32(i + 3), DirectoryApi.Boards(reader.GetString(i + 4)),
                Time(reader, i + 5), Time(reader, i + 6));
        i += 7;
        var broadcast = reader.IsDBNull(i) ? null : new BroadcastObject(reader.GetString(i), Text(reader, i + 1));
        i += 2;
        var noteUser = reader.IsDBNull(i) ? null : new NoteUserObject(reader.GetString(i), Text(reader, i + 1), Text(reader, i + 2));
        return actor is null && assistant is null && segment is null && broadcast is null && noteUser is null
            ? EmbeddedEntries.None
            : new EmbeddedEntries(actor, assistant, segment, broadcast, noteUser);
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
