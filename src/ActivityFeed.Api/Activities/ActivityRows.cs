using System.Data.Common;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Directory;
using Npgsql;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// An activity with the columns a response needs (not the request hash) and the directory entries
/// its embedded objects show, read by one statement.
/// </summary>
public sealed class ActivityRow
{
    public required Activity Activity { get; init; }
    public EmbeddedEntries Embedded { get; init; } = EmbeddedEntries.None;
}

/// <summary>
/// Activities as response rows straight from Npgsql: the statement text is fixed per shape, so
/// Npgsql's auto-prepare plans it once per connection, and each row is read by ordinal into the
/// entity. EF's per-query pipeline (expression cache key, parameter extraction, shaper) was most of
/// a page's API CPU; a page read this way costs the API about what the rows do.
/// </summary>
public static class ActivityRows
{
    /// <summary>The response columns of <c>activities</c>, in the order <see cref="Read"/> takes them, unqualified.</summary>
    private static readonly string[] ColumnNames =
    [
        "org_id", "id", "type", "occurred_at", "created_at", "updated_at", "actor_id", "assistant_id", "contact_id", "visitor_id",
        "customer_id", "table_id", "record_id", "segment_id", "broadcast_id", "relation_type", "relation_id", "title",
        "description", "formatted_description", "comment", "note", "file", "attachments", "tags", "pinned_at", "channel",
        "recipients", "external_id", "metadata",
    ];

    /// <summary>The columns qualified by the alias <c>a</c>.</summary>
    public static readonly string Columns = string.Join(", ", ColumnNames.Select(c => "a." + c));

    /// <summary>
    /// The enriched rows of <paramref name="page"/> (a SELECT of <see cref="Columns"/> from
    /// <c>activities a</c>, filtered, ordered and limited), in <paramref name="orderBy"/>: the page
    /// is cut first, then each of its rows joined to its directory entries.
    /// </summary>
    /// <param name="extraColumns">Columns of the page's own after the directory's (", a.read_at, …"), from <see cref="ExtraOrdinal"/> on.</param>
    public static string Enriched(string page, string orderBy, string extraColumns = "") =>
        $"SELECT {Columns}, {EmbeddedEntriesSql.Columns}{extraColumns}\nFROM ({page}) AS a\n{EmbeddedEntriesSql.Joins("a")}\nORDER BY {orderBy}";

    /// <summary>The ordinal of the first extra column of <see cref="Enriched"/>.</summary>
    public static readonly int ExtraOrdinal = ColumnNames.Length + EmbeddedEntriesSql.ColumnCount;

    /// <summary>
    /// A list page and, when asked, its total in one round trip: the rows of <paramref name="page"/>
    /// (read by <paramref name="read"/>) first, the single count of <paramref name="count"/> second.
    /// </summary>
    public static Task<(List<T> Rows, long? Total)> PageAsync<T>(
        ActivityFeedDb db, NpgsqlBatchCommand page, NpgsqlBatchCommand? count, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        SqlBatch.ReadAsync(db, count is null ? [page] : [page, count], async reader =>
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            long? total = null;
            if (count is not null && await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken))
            {
                total = reader.GetInt64(0);
            }

            return (rows, total);
        }, cancellationToken);

    /// <summary>One activity by id as a response row, or null.</summary>
    public static async Task<ActivityRow?> ByIdAsync(ActivityFeedDb db, string orgId, string id, CancellationToken cancellationToken)
    {
        var sql = Enriched($"SELECT {Columns} FROM activities a WHERE a.org_id = $1 AND a.id = $2", "a.id");
        var rows = await ReadAsync(db, SqlBatch.Command(sql, orgId, id), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The activities of <paramref name="ids"/> that exist, as response rows, in id order.</summary>
    public static Task<List<ActivityRow>> ByIdsAsync(ActivityFeedDb db, string orgId, string[] ids, CancellationToken cancellationToken) =>
        ReadAsync(db, SqlBatch.Command(Enriched($"SELECT {Columns} FROM activities a WHERE a.org_id = $1 AND a.id = ANY($2)", "a.id"), orgId, ids), cancellationToken);

    /// <summary>Runs <paramref name="command"/> (a statement of <see cref="Enriched"/>) and reads its rows.</summary>
    public static async Task<List<ActivityRow>> ReadAsync(ActivityFeedDb db, NpgsqlBatchCommand command, CancellationToken cancellationToken) =>
        (await PageAsync(db, command, null, Read, cancellationToken)).Rows;

    /// <summary>A row of <see cref="Enriched"/>.</summary>
    public static ActivityRow Read(DbDataReader r) => new()
    {
        Activity = new Activity
        {
            OrgId = r.GetString(0), Id = r.GetString(1), Type = r.GetString(2),
            OccurredAt = r.GetFieldValue<DateTimeOffset>(3), CreatedAt = r.GetFieldValue<DateTimeOffset>(4), UpdatedAt = r.GetFieldValue<DateTimeOffset>(5),
            ActorId = Text(r, 6), AssistantId = Text(r, 7), ContactId = Text(r, 8), VisitorId = Text(r, 9), CustomerId = Text(r, 10),
            TableId = Text(r, 11), RecordId = Text(r, 12), SegmentId = Text(r, 13), BroadcastId = Text(r, 14),
            RelationType = Text(r, 15), RelationId = Text(r, 16), Title = Text(r, 17), Description = Text(r, 18),
            FormattedDescription = Text(r, 19), Comment = Text(r, 20), Note = Text(r, 21), File = Text(r, 22), Attachments = Text(r, 23),
            Tags = r.GetFieldValue<string[]>(24), PinnedAt = r.IsDBNull(25) ? null : r.GetFieldValue<DateTimeOffset>(25),
            Channel = Text(r, 26), Recipients = r.GetFieldValue<string[]>(27), ExternalId = Text(r, 28), Metadata = r.GetString(29),
        },
        Embedded = EmbeddedEntriesSql.Read(r, ColumnNames.Length),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
