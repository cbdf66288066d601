using System.Data.Common;
using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using Npgsql;
using NpgsqlTypes;

namespace ActivityFeed.Api.Inbox;

/// <summary>One inbox page row: the activity with its directory entries, and the user's state of it.</summary>
public sealed record InboxRow(ActivityRow Row, DateTimeOffset? ReadAt, DateTimeOffset? SeenAt, DateTimeOffset? ArchivedAt);

/// <summary>
/// The inbox list as SQL text, the statement the inbox runs: the same rows as
/// <see cref="InboxQuery"/> (which counts and mark-all compose with EF), held to them by
/// <c>InboxSqlEquivalenceTests</c>. The tab and the time ranges are conditions on the item (its
/// partial indexes, its copies of the timestamps) and the page walks the item's index in its sort;
/// other feed filters are conditions on the activity, joined by primary key. Like the feeds, the
/// page is cut first and then joined to the directory, so a page is one statement and one round trip.
/// </summary>
public static class InboxSql
{
    private const string ItemColumns = ", a.read_at, a.seen_at, a.archived_at";

    public static NpgsqlBatchCommand Page(string orgId, string userId, InboxStatus status, FeedFilters filters, FeedCursor? after, int offset, int limit)
    {
        var (sql, where) = Matching(orgId, userId, status, filters, joinActivities: true);
        var sort = "i." + FeedFilters.SortName(filters.SortBy);
        if (after is not null)
        {
            where += " AND " + sql.After(sort, "i.activity_id", filters.Descending, after);
        }

        var direction = filters.Descending ? "DESC" : "ASC";
        var page = $"""
            SELECT {ActivityRows.Columns}, i.read_at, i.seen_at, i.archived_at, {sort} AS item_sort
            FROM inbox_items i JOIN activities a ON a.org_id = i.org_id AND a.id = i.activity_id
            WHERE {where}
            ORDER BY {sort} {direction}, i.activity_id {direction} {sql.LimitOffset(limit, offset)}
            """;
        return sql.Command(ActivityRows.Enriched(page, $"a.item_sort {direction}, a.id {direction}", ItemColumns));
    }

    /// <summary>How many items the page's conditions match (the list's <c>total</c>).</summary>
    public static NpgsqlBatchCommand Count(string orgId, string userId, InboxStatus status, FeedFilters filters)
    {
        var joinActivities = filters.FiltersBeyondTimeRanges;
        var (sql, where) = Matching(orgId, userId, status, filters, joinActivities);
        var from = joinActivities ? "inbox_items i JOIN activities a ON a.org_id = i.org_id AND a.id = i.activity_id" : "inbox_items i";
        return sql.Command($"SELECT count(*) FROM {from} WHERE {where}");
    }

    /// <summary>A row of <see cref="Page"/>.</summary>
    public static InboxRow Read(DbDataReader reader)
    {
        var i = ActivityRows.ExtraOrdinal;
        return new InboxRow(ActivityRows.Read(reader), Time(reader, i), Time(reader, i + 1), Time(reader, i + 2));
    }

    private static (FeedSql Sql, string Where) Matching(string orgId, string userId, InboxStatus status, FeedFilters filters, bool joinActivities)
    {
        // The activity conditions (org as $1) go first so that every statement numbers its parameters the same way.
        var sql = FeedSql.Conditions(orgId, filters.WithoutTimeRanges());
        List<string> conditions =
        [
            "i.org_id = $1",
            $"i.user_id = {sql.Add(userId, NpgsqlDbType.Text)}",
            status switch
            {
                InboxStatus.Unread => "i.archived_at IS NULL AND i.read_at IS NULL",
                InboxStatus.Read => "i.archived_at IS NULL AND i.read_at IS NOT NULL",
                InboxStatus.Unseen => "i.archived_at IS NULL AND i.seen_at IS NULL",
                InboxStatus.Archived => "i.archived_at IS NOT NULL",
                _ => "i.archived_at IS NULL",
            },
            .. sql.Range("i.occurred_at", filters.OccurredAt),
            .. sql.Range("i.created_at", filters.CreatedAt),
            .. sql.Range("i.updated_at", filters.UpdatedAt),
        ];
        if (joinActivities && filters.FiltersBeyondTimeRanges)
        {
            conditions.Add(sql.Where);
        }

        return (sql, string.Join(" AND ", conditions));
    }

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
