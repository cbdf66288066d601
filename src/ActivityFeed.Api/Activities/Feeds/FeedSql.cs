using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// A feed page as SQL text with positional parameters, the statement the feeds run: org scope,
/// filters, then a total order (sort column, id) with a keyset condition, so each filter lands on an
/// org-leading index and a page costs the same at any depth. The text depends only on which filters
/// are set and the page size (never on filter values), so each shape is prepared once per connection. The same
/// conditions as <see cref="FeedQuery.Filtered"/>, which the dialects and the inbox counts compose with EF;
/// <c>FeedSqlEquivalenceTests</c> hold the two to the same rows. Other lists over activities (the
/// inbox) take the conditions (<see cref="Conditions"/>) and add their own, sharing the parameters.
/// </summary>
public sealed class FeedSql
{
    private readonly StringBuilder _where = new("a.org_id = $1");
    private readonly List<NpgsqlParameter> _parameters = [];

    private FeedSql(string orgId, FeedFilters filters)
    {
        Add(orgId, NpgsqlDbType.Text);
        foreach (var (name, value) in filters.Ids)
        {
            // The name is one of FeedFilters.IdFilters, each the column of the same name.
            Condition($"a.{Column(name)} = {Add(value, NpgsqlDbType.Text)}");
        }

        foreach (var filter in filters.Metadata)
        {
            // metadata @> '{"m": …}' for each reading of the value: served by the GIN index on (org_id, metadata jsonb_path_ops).
            Condition("(" + string.Join(" OR ", filter.Containments().Select(json => $"a.metadata @> {Add(json, NpgsqlDbType.Jsonb)}")) + ")");
        }

        if (filters.Types is [var type])
        {
            Condition($"a.type = {Add(type, NpgsqlDbType.Text)}");
        }
        else if (filters.Types.Count > 1)
        {
            Condition($"a.type = ANY ({Add(filters.Types.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        if (filters.RelationType is { } relationType)
        {
            Condition($"a.relation_type = {Add(relationType, NpgsqlDbType.Text)}");
        }

        if (filters.Tags.Count > 0)
        {
            Condition($"a.tags && {Add(filters.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}"); // served by the GIN index
        }

        if (filters.Channel is { } channel)
        {
            Condition($"a.channel = {Add(channel, NpgsqlDbType.Text)}");
        }

        if (filters.Pinned is { } pinned)
        {
            Condition(pinned ? "a.pinned_at IS NOT NULL" : "a.pinned_at IS NULL");
        }

        InRange("a.occurred_at", filters.OccurredAt);
        InRange("a.created_at", filters.CreatedAt);
        if (filters.SortBy == SortField.OccurredAt && (filters.CreatedAt.Lt ?? filters.CreatedAt.Lte) is { } before)
        {
            // created_at ≤ X implies occurred_at ≤ X + the org's lead (Org.OccurredLead). Said outright, it
            // lets a feed sorted by occurred_at start its index walk at that bound instead of walking every
            // newer row before the first old one (created_at and occurred_at move together).
            var bound = filters.CreatedAt.Lte is { } lte && lte < before ? lte : before;
            Condition($"a.occurred_at <= {Add(bound)} + (SELECT o.occurred_lead FROM orgs o WHERE o.id = $1)");
        }

        InRange("a.updated_at", filters.UpdatedAt);
    }

    /// <summary>
    /// The page statement: rows after <paramref name="after"/> (or <paramref name="offset"/> rows in),
    /// at most <paramref name="limit"/>, each joined to its directory entries (<see cref="ActivityRows.Read"/> reads them).
    /// </summary>
    public static NpgsqlBatchCommand Page(string orgId, FeedFilters filters, FeedCursor? after, int offset, int limit)
    {
        var sql = new FeedSql(orgId, filters);
        var sort = "a." + FeedFilters.SortName(filters.SortBy);
        if (after is not null)
        {
            sql.Condition(sql.After(sort, "a.id", filters.Descending, after));
        }

        var direction = filters.Descending ? "DESC" : "ASC";
        var orderBy = $"{sort} {direction}, a.id {direction}";
        var page = $"SELECT {ActivityRows.Columns} FROM activities a WHERE {sql._where} ORDER BY {orderBy} {sql.LimitOffset(limit, offset)}";
        return sql.Command(ActivityRows.Enriched(page, orderBy));
    }

    /// <summary>How many rows match the filters (the page's <c>total</c>).</summary>
    public static NpgsqlBatchCommand Count(string orgId, FeedFilters filters)
    {
        var sql = new FeedSql(orgId, filters);
        return sql.Command($"SELECT count(*) FROM activities a WHERE {sql._where}");
    }

    /// <summary>The feed conditions on <c>activities a</c> (<c>$1</c> is the org), for a statement that adds its own.</summary>
    public static FeedSql Conditions(string orgId, FeedFilters filters) => new(orgId, filters);

    /// <summary>The conditions so far, joined by AND.</summary>
    public string Where => _where.ToString();

    /// <summary>The keyset condition: rows after the cursor's (sort value, id) in the sort's direction.</summary>
    public string After(string sortColumn, string idColumn, bool descending, FeedCursor after) =>
        $"({sortColumn}, {idColumn}) {(descending ? "<" : ">")} ({Add(FeedCursor.FromMicros(after.SortValueMicros))}, {Add(after.LastId, NpgsqlDbType.Text)})";

    /// <summary>
    /// The limit is written into the text, not bound: with <c>LIMIT $n</c> PostgreSQL's generic plan
    /// assumes a tenth of the table comes back, so it never beats a custom plan and every execution of
    /// the prepared page is planned again (about as long as running it). With the number in the text
    /// the generic plan costs what the custom one does and is kept after five executions; a client
    /// uses few page sizes, so the extra statement texts stay within the connection's prepared ones.
    /// The offset stays a parameter (its values are many); PreparedPagePlanTests hold the keyset pages to their kept plan.
    /// </summary>
    public string LimitOffset(int limit, int offset) =>
        "LIMIT " + limit.ToString(CultureInfo.InvariantCulture) + (offset > 0 ? $" OFFSET {Add(offset, NpgsqlDbType.Integer)}" : "");

    /// <summary>The conditions of <paramref name="range"/> on <paramref name="column"/>, each with its parameter.</summary>
    public List<string> Range(string column, TimeRange range)
    {
        var conditions = new List<string>();
        foreach (var (op, bound) in new[] { (">", range.Gt), (">=", range.Gte), ("<", range.Lt), ("<=", range.Lte) })
        {
            if (bound is { } value)
            {
                conditions.Add($"{column} {op} {Add(value)}");
            }
        }

        return conditions;
    }

    public string Add(object value, NpgsqlDbType type)
    {
        _parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
        return "$" + _parameters.Count;
    }

    // timestamptz takes UTC only (Npgsql refuses another offset); the instant is the same.
    public string Add(DateTimeOffset value) => Add(value.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    /// <summary>The statement <paramref name="text"/> with the parameters added so far.</summary>
    public NpgsqlBatchCommand Command(string text)
    {
        var command = new NpgsqlBatchCommand(text);
        command.Parameters.AddRange(_parameters.ToArray());
        return command;
    }

    private static string Column(string idFilter) =>
        FeedFilters.IdFilters.Contains(idFilter) ? idFilter : throw new ArgumentOutOfRangeException(nameof(idFilter), idFilter, "Not an id filter.");

    private void Condition(string condition) => _where.Append(" AND ").Append(condition);

    private void InRange(string column, TimeRange range)
    {
        foreach (var condition in Range(column, range))
        {
            Condition(condition);
        }
    }
}
