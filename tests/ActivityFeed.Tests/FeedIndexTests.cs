using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// Every documented filter, under its org scope and with every sort, is planned on an index: the
/// feed's own SQL is EXPLAINed with sequential scans disabled, and any scan of the table fails.
/// </summary>
public sealed class FeedIndexTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Filters => new()
    {
        "", "type=call", "type=call,meeting", "actor_id=u1", "assistant_id=a1", "segment_id=s1", "contact_id=c1",
        "visitor_id=v1", "customer_id=cu1", "table_id=t1", "record_id=r1", "broadcast_id=b1", "relation_type=product",
        "relation_type=product&relation_id=p1", "tag=x", "tag=x,y", "channel=EMAIL", "pinned=true", "pinned=false", "external_id=e1",
        "occurred_at_gt=2026-01-01T00:00:00Z", "occurred_at_lte=2026-01-01T00:00:00Z&occurred_at_gte=2025-01-01T00:00:00Z",
        "created_at_gte=2026-01-01T00:00:00Z", "created_at_lt=2026-01-01T00:00:00Z",
        "updated_at_gt=2026-01-01T00:00:00Z", "updated_at_lte=2026-01-01T00:00:00Z",
        "contact_id=c1&type=call", "record_id=r1&table_id=t1", "metadata.sequence_id=s_9", "metadata.step=5", "type=call&metadata.opened=true",
    };

    public static TheoryData<string, string> FiltersAndSorts()
    {
        var data = new TheoryData<string, string>();
        foreach (var filter in Filters)
        {
            foreach (var sort in new[] { "", "sort_order=asc", "sort_by=created_at", "sort_by=updated_at&sort_order=asc" })
            {
                data.Add(filter, sort);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FiltersAndSorts))]
    public async Task EveryFilterAndSortIsServedByAnIndex(string filter, string sort)
    {
        await SeedAsync(api);

        var parameters = string.Join('&', new[] { filter, sort }.Where(p => p.Length > 0));
        var values = parameters.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .GroupBy(p => p[0], p => Uri.UnescapeDataString(p[1]))
            .ToDictionary(g => g.Key, g => g.ToArray());
        var errors = new Dictionary<string, string[]>();
        var filters = FeedFilters.Parse(values, errors);
        Assert.Empty(errors);

        await using var db = QueryPlans.OpenDb(api);
        foreach (var (name, query) in new[]
                 {
                     ("first page", FeedSql.Page(api.OrgId, filters, null, 0, 26)),
                     ("keyset page", FeedSql.Page(api.OrgId, filters, new FeedCursor("org", filters.Canonical, FeedCursor.ToMicros(DateTimeOffset.UtcNow.AddDays(-7)), "act_M"), 0, 26)),
                 })
        {
            var plan = await QueryPlans.ExplainAsync(db, query);
            Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), $"{parameters} ({name}) scans the table:\n{plan}");

            // In the default sort column, not just any index (the org index can always be walked and
            // filtered) but the filter's own, which holds its rows in that order.
            var defaultSortColumn = !sort.Contains("sort_by", StringComparison.Ordinal);
            var conditions = plan.Split('\n').Where(l => l.Contains("Index Cond", StringComparison.Ordinal) || l.Contains("Recheck Cond", StringComparison.Ordinal)).ToList();
            // Not held to it: pinned=false (most rows: walking the org index is the best plan), several
            // types or tags at once (no btree yields their union in order, so the planner weighs a
            // filtered walk of the org index against a bitmap and a sort; both are index plans).
            var selective = values.Where(v => SelectiveColumns.ContainsKey(v.Key)
                                              && !(v.Key == "pinned" && v.Value[0] == "false")
                                              && !(v.Key is "type" or "tag" && (v.Value[0].Contains(',', StringComparison.Ordinal) || v.Key == "tag")))
                .Select(v => v.Key).ToList();
            Assert.True(!defaultSortColumn || selective.Count == 0 || selective.Any(k => conditions.Any(c => c.Contains(SelectiveColumns[k], StringComparison.Ordinal)))
                        || (values.ContainsKey("pinned") && plan.Contains("ix_activities_org_pinned", StringComparison.Ordinal))
                        // type=call&metadata.x=…: the metadata GIN index is as selective as the type's, and the planner may pick either.
                        || (values.Keys.Any(FeedFilters.IsMetadataParameter) && plan.Contains("ix_activities_org_metadata", StringComparison.Ordinal)),
                $"{parameters} ({name}) does not use an index on its filter:\n{plan}");

            // The order comes from the index itself, with no sort step: for the org feed in every sort,
            // and for a single equality filter in the default sort column (either direction).
            // (external_id is unique: its one row needs no order.)
            var filterCount = values.Keys.Count(k => k is not ("sort_by" or "sort_order"));
            var singleEquality = filterCount == 1 && selective.Count == 1 && !values.ContainsKey("external_id");
            if (filter.Length == 0 || (singleEquality && defaultSortColumn))
            {
                // The page is cut (Limit) before its rows are joined to the directory and put back in
                // order: only the plan from the Limit down reads the table, and it must not sort.
                var page = plan[plan.IndexOf("Limit", StringComparison.Ordinal)..];
                Assert.False(page.Contains("Sort", StringComparison.Ordinal) && !page.Contains("Incremental Sort", StringComparison.Ordinal),
                    $"{parameters} ({name}) sorts instead of reading in index order:\n{plan}");
            }
        }
    }

    /// <summary>Filters selective enough that their own index must serve them (column as it appears in plans).</summary>
    private static readonly Dictionary<string, string> SelectiveColumns = new()
    {
        ["type"] = "type", ["actor_id"] = "actor_id", ["assistant_id"] = "assistant_id", ["segment_id"] = "segment_id",
        ["contact_id"] = "contact_id", ["visitor_id"] = "visitor_id", ["customer_id"] = "customer_id", ["table_id"] = "table_id",
        ["record_id"] = "record_id", ["broadcast_id"] = "broadcast_id", ["relation_type"] = "relation_type", ["tag"] = "tags",
        ["channel"] = "channel", ["external_id"] = "external_id", ["pinned"] = "pinned_at",
    };

    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static readonly HashSet<string> Seeded = [];

    /// <summary>
    /// 20,000 rows in which each filtered value is rare (about 1 in 100 or 200), as in a real org,
    /// so the planner's choice reflects a table worth indexing rather than one it would sort in memory.
    /// </summary>
    internal static async Task SeedAsync(ApiFactory api)
    {
        await SeedLock.WaitAsync(ActivityClient.Cancel);
        try
        {
            if (!Seeded.Add(api.ConnectionString))
            {
                return;
            }

            await using var connection = new NpgsqlConnection(api.ConnectionString);
            await connection.OpenAsync(ActivityClient.Cancel);
            await using var insert = new NpgsqlCommand($$"""
                INSERT INTO activities (org_id, id, type, occurred_at, created_at, updated_at, actor_id, assistant_id, contact_id,
                    visitor_id, customer_id, table_id, record_id, segment_id, broadcast_id, relation_type, relation_id, tags, channel,
                    pinned_at, external_id, recipients, metadata)
                SELECT @org, 'act_' || lpad(i::text, 26, '0'),
                       CASE i % 100 WHEN 0 THEN 'call' WHEN 1 THEN 'meeting' ELSE 'note_created' END,
                       now() - i * interval '1 minute', now() - i * interval '1 minute', now() - i * interval '1 minute',
                       'u' || i % 200, 'a' || i % 200, 'c' || i % 200, 'v' || i % 200, 'cu' || i % 200, 't' || i % 200, 'r' || i % 200,
                       's' || i % 200, 'b' || i % 200, CASE WHEN i % 100 = 0 THEN 'product' ELSE 'task' END, 'p' || i % 200,
                       CASE WHEN i % 100 = 0 THEN ARRAY['x'] WHEN i % 100 = 1 THEN ARRAY['y'] ELSE ARRAY['z'] END,
                       CASE WHEN i % 100 = 0 THEN 'EMAIL' ELSE 'SMS' END,
                       CASE WHEN i % 100 = 0 THEN now() END, 'e' || i, '{}', '{}'
                FROM generate_series(1, 20000) AS i;
                ANALYZE activities;
                """, connection);
            insert.Parameters.AddWithValue("org", api.OrgId);
            await insert.ExecuteNonQueryAsync(ActivityClient.Cancel);
        }
        finally
        {
            SeedLock.Release();
        }
    }
}
