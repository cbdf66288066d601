using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Inbox;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// The inbox's own SQL (pages of every tab and sort as <see cref="InboxSql"/> sends them, counts, the rows a mark-all updates) is planned
/// on the inbox indexes: EXPLAINed with sequential scans disabled over 20,000 activities fanned out
/// to 20 users, with read, seen and archived state spread through them.
/// </summary>
public sealed class InboxIndexTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string User = "u1";

    public static TheoryData<string, string> TabsAndSorts()
    {
        var data = new TheoryData<string, string>();
        foreach (var status in InboxStatuses.Names)
        {
            foreach (var sort in new[] { "", "sort_order=asc" })
            {
                data.Add(status, sort);
            }
        }

        foreach (var sort in new[] { "sort_by=created_at", "sort_by=updated_at&sort_order=asc" })
        {
            data.Add("all", sort);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TabsAndSorts))]
    public async Task EveryTabPagesInIndexOrder(string status, string sort)
    {
        var plans = await PagePlansAsync(status, sort);
        foreach (var (name, plan) in plans)
        {
            Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), $"{status} {sort} ({name}) scans a table:\n{plan}");
            // The page is cut (Limit) before its rows are joined to the directory and put back in
            // order: only the plan from the Limit down reads the tables, and it must not sort.
            var page = plan[plan.IndexOf("Limit", StringComparison.Ordinal)..];
            Assert.False(page.Contains("Sort", StringComparison.Ordinal) && !page.Contains("Incremental Sort", StringComparison.Ordinal),
                $"{status} {sort} ({name}) sorts instead of reading in index order:\n{plan}");
            var index = sort.Contains("sort_by", StringComparison.Ordinal) ? $"ix_inbox_items_{sort.Split('=')[1].Split('_')[0]}" : $"ix_inbox_items_{status switch { "all" => "occurred", _ => status }}";
            Assert.True(plan.Contains(index, StringComparison.Ordinal), $"{status} {sort} ({name}) does not use {index}:\n{plan}");
        }
    }

    [Theory]
    [InlineData("type=call")]
    [InlineData("contact_id=c1")]
    [InlineData("occurred_at_gte=2026-01-01T00:00:00Z")]
    public async Task FilteredPagesUseTheInboxIndexAndTheActivityKey(string filter)
    {
        foreach (var (name, plan) in await PagePlansAsync("all", filter))
        {
            Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), $"{filter} ({name}) scans a table:\n{plan}");
            Assert.Contains("_inbox_items", plan, StringComparison.Ordinal); // the inbox side by one of its indexes (or its key)
        }
    }

    [Fact]
    public async Task CountsReadTheUnreadUnseenAndOpenIndexes()
    {
        await SeedAsync(api);
        await using var db = QueryPlans.OpenDb(api);
        var plan = await QueryPlans.ExplainAsync(db, InboxQuery.Counts(db, api.OrgId, InboxQuery.Matching(db, api.OrgId, User, InboxStatus.All, Parse(""))));
        Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
        // Unread and unseen are few: their partial indexes hold just those rows. The total may take
        // the open-items index or the key, whichever the planner prices lower for this user.
        foreach (var index in new[] { "ix_inbox_items_unread", "ix_inbox_items_unseen" })
        {
            Assert.True(plan.Contains(index, StringComparison.Ordinal), $"counts do not use {index}:\n{plan}");
        }
    }

    [Theory]
    [InlineData("all")]
    [InlineData("unread")]
    [InlineData("archived")]
    public async Task MarkAllSelectsItsRowsOnTheTabsIndex(string status)
    {
        await SeedAsync(api);
        await using var db = QueryPlans.OpenDb(api);
        var plan = await QueryPlans.ExplainAsync(db, InboxQuery.Matching(db, api.OrgId, User, Enum.Parse<InboxStatus>(status, true), Parse("")).Select(i => i.ActivityId));
        Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
        Assert.Contains("_inbox_items", plan, StringComparison.Ordinal);
    }

    private async Task<List<(string Name, string Plan)>> PagePlansAsync(string status, string parameters)
    {
        await SeedAsync(api);
        var filters = Parse(parameters);
        var tab = Enum.Parse<InboxStatus>(status, true);
        await using var db = QueryPlans.OpenDb(api);
        var cursor = new FeedCursor("inbox", filters.Canonical, FeedCursor.ToMicros(DateTimeOffset.UtcNow.AddDays(-7)), "act_M");
        var plans = new List<(string, string)>();
        foreach (var (name, after) in new[] { ("first page", null), ("keyset page", cursor) })
        {
            // The statement the list sends: the items with their activities, joined by primary key.
            plans.Add((name, await QueryPlans.ExplainAsync(db, InboxSql.Page(api.OrgId, User, tab, filters, after, 0, 26))));
        }

        return plans;
    }

    private static FeedFilters Parse(string parameters)
    {
        var values = parameters.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .GroupBy(p => p[0], p => p[1])
            .ToDictionary(g => g.Key, g => g.ToArray());
        var errors = new Dictionary<string, string[]>();
        var filters = FeedFilters.Parse(values, errors);
        Assert.Empty(errors);
        return filters;
    }

    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static readonly HashSet<string> Seeded = [];

    private static async Task SeedAsync(ApiFactory api)
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
            await using var insert = new NpgsqlCommand("""
                INSERT INTO activities (org_id, id, type, occurred_at, created_at, updated_at, contact_id, recipients, tags, metadata)
                SELECT @org, 'act_' || lpad(i::text, 26, '0'), CASE i % 100 WHEN 0 THEN 'call' ELSE 'note_created' END,
                       now() - i * interval '1 minute', now() - i * interval '1 minute', now() - i * interval '1 minute',
                       'c' || i % 200, ARRAY['u' || i % 20], '{}', '{}'
                FROM generate_series(1, 20000) AS i;
                INSERT INTO inbox_items (org_id, user_id, activity_id, occurred_at, created_at, updated_at, read_at, seen_at, archived_at)
                SELECT org_id, recipients[1], id, occurred_at, created_at, updated_at,
                       CASE WHEN right(id, 2)::int % 10 < 8 THEN now() END,
                       CASE WHEN right(id, 2)::int % 10 < 9 THEN now() END,
                       CASE WHEN right(id, 2)::int % 50 = 7 THEN now() END
                FROM activities WHERE org_id = @org;
                ANALYZE activities; ANALYZE inbox_items;
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
