using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// A feed page as SQL text with positional parameters, the statement the feeds run: org scope,
/// filters, then a total order (sort column, id) with a keyset condition, so each filter lands on an
/// org-leading index and a page costs the same at any depth. The text depends only on which filters
/// are set (never on their values), so each shape is prepared once per connection. The same
/// conditions as <see cref="FeedQuery.Filtered"/>, which the inbox and the dialects compose with EF;
/// <c>FeedSqlEquivalenceTests</c> hold the two to the same rows.
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
            var op = filters.Descending ? "<" : ">";
            sql.Condition($"({sort}, a.id) {op} ({sql.Add(FeedCursor.FromMicros(after.SortValueMicros))}, {sql.Add(after.LastId, NpgsqlDbType.Text)})");
        }

        var direction = filters.Descending ? "DESC" : "ASC";
        var orderBy = $"{sort} {direction}, a.id {direction}";
        var page = $"SELECT {ActivityRows.Columns} FROM activities a WHERE {sql._where} ORDER BY {orderBy} LIMIT {sql.Add(limit, NpgsqlDbType.Integer)}";
        if (offset > 0)
        {
            page += $" OFFSET {sql.Add(offset, NpgsqlDbType.Integer)}";
        }

        return sql.Command(ActivityRows.Enriched(page, orderBy));
    }

    /// <summary>How many rows match the filters (the page's <c>total</c>).</summary>
    public static NpgsqlBatchCommand Count(string orgId, FeedFilters filters)
    {
        var sql = new FeedSql(orgId, filters);
        return sql.Command($"SELECT count(*) FROM activities a WHERE {sql._where}");
    }

    private NpgsqlBatchCommand Command(string text)
    {
        var command = new NpgsqlBatchCommand(text);
        command.Parameters.AddRange(_parameters.ToArray());
        return command;
    }

    private static string Column(string idFilter) =>
        FeedFilters.IdFilters.Contains(idFilter) ? idFilter : throw new ArgumentOutOfRangeException(nameof(idFilter), idFilter, "Not an id filter.");

    private void Condition(string condition) => _where.Append(" AND ").Append(condition);

    private string Add(object value, NpgsqlDbType type)
    {
        _parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
        return "$" + _parameters.Count;
    }

    // timestamptz takes UTC only (Npgsql refuses another offset); the instant is the same.
    private string Add(DateTimeOffset value) => Add(value.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    private void InRange(string column, TimeRange range)
    {
        foreach (var (op, bound) in new[] { (">", range.Gt), (">=", range.Gte), ("<", range.Lt), ("<=", range.Lte) })
        {
            if (bound is { } value)
            {
                Condition($"{column} {op} {Add(value)}");
            }
        }
    }
}
