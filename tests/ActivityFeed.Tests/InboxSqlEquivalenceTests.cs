using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Inbox;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Tests;

/// <summary>
/// The inbox list runs as SQL text (<see cref="InboxSql"/>); counts and mark-all compose the same
/// tabs and filters with EF (<see cref="InboxQuery"/>). Over two users' items with every state,
/// every generated combination of tab, filters, sort, offset and cursor gives the same items in the
/// same order both ways, and the same total.
/// </summary>
public sealed class InboxSqlEquivalenceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string User = "u1";

    [Fact]
    public async Task EveryGeneratedTabAndFilterGivesTheSameItemsInSqlAndInEf()
    {
        // u1 has three items in four, u2 the others (so the user condition is tested); read, seen
        // and archived states cut across the activities' own columns.
        await GeneratedFilters.SeedAsync(api.ConnectionString, api.OrgId, """
            INSERT INTO inbox_items (org_id, user_id, activity_id, occurred_at, created_at, updated_at, read_at, seen_at, archived_at)
            SELECT a.org_id, CASE WHEN n % 4 = 3 THEN 'u2' ELSE 'u1' END, a.id, a.occurred_at, a.created_at, a.updated_at,
                   CASE WHEN n % 3 = 0 THEN @newest END, CASE WHEN n % 2 = 0 THEN @newest END, CASE WHEN n % 11 = 0 THEN @newest END
            FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM activities WHERE org_id = @org) AS a;
            ANALYZE inbox_items;
            """);
        var random = new Random(GeneratedFilters.Seed);
        await using var db = QueryPlans.OpenDb(api);
        var statuses = Enum.GetValues<InboxStatus>();
        var compared = 0;
        var nonEmpty = 0;
        for (var sample = 0; sample < 250; sample++)
        {
            var query = GeneratedFilters.Sample(random, share: 0.12);
            var filters = GeneratedFilters.Parse(query);
            var status = statuses[random.Next(statuses.Length)];
            var take = random.Next(1, 40);
            var offset = random.Next(3) == 0 ? random.Next(0, 60) : 0;
            var label = $"{status} {query} take={take}";

            var matching = InboxQuery.Matching(db, api.OrgId, User, status, filters);
            var expected = await EfPageAsync(matching, filters, null, offset, take);
            Assert.True(expected.SequenceEqual(await SqlPageAsync(status, filters, null, offset, take)), $"{label} offset={offset}");
            Assert.Equal(await matching.LongCountAsync(ActivityClient.Cancel), await SqlCountAsync(status, filters));
            compared++;
            if (expected.Count == 0)
            {
                continue;
            }

            nonEmpty++;
            var lastId = expected[random.Next(expected.Count)];
            var last = await db.InboxItems.AsNoTracking().SingleAsync(i => i.OrgId == api.OrgId && i.UserId == User && i.ActivityId == lastId, ActivityClient.Cancel);
            var cursor = new FeedCursor("inbox", filters.Canonical,
                FeedCursor.ToMicros(GeneratedFilters.SortValue(last.OccurredAt, last.CreatedAt, last.UpdatedAt, filters.SortBy)), last.ActivityId);
            expected = await EfPageAsync(matching, filters, cursor, 0, take);
            Assert.True(expected.SequenceEqual(await SqlPageAsync(status, filters, cursor, 0, take)), $"{label} after {lastId}");
            compared++;
        }

        Assert.True(nonEmpty >= 75, $"only {nonEmpty} of {compared} comparisons had items");
    }

    private static async Task<List<string>> EfPageAsync(IQueryable<InboxItem> matching, FeedFilters filters, FeedCursor? after, int offset, int take) =>
        await InboxQuery.Page(matching, filters, after).Skip(offset).Take(take).Select(i => i.ActivityId).ToListAsync(ActivityClient.Cancel);

    private async Task<List<string>> SqlPageAsync(InboxStatus status, FeedFilters filters, FeedCursor? after, int offset, int take)
    {
        await using var db = QueryPlans.OpenDb(api);
        var (rows, _) = await ActivityRows.PageAsync(db, InboxSql.Page(api.OrgId, User, status, filters, after, offset, take), null, InboxSql.Read, ActivityClient.Cancel);
        return [.. rows.Select(r => r.Row.Activity.Id)];
    }

    private async Task<long> SqlCountAsync(InboxStatus status, FeedFilters filters)
    {
        await using var db = QueryPlans.OpenDb(api);
        return await SqlBatch.ReadAsync(db, [InboxSql.Count(api.OrgId, User, status, filters)], async reader =>
        {
            await reader.ReadAsync(ActivityClient.Cancel);
            return reader.GetInt64(0);
        }, ActivityClient.Cancel);
    }
}
