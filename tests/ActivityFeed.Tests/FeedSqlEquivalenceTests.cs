using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Tests;

/// <summary>
/// The feeds run their filters as SQL text (<see cref="FeedSql"/>); the dialects compose the same
/// filters with EF (<see cref="FeedQuery"/>). Over rows with ties, nulls, tags,
/// pins and metadata, every generated combination of filters, sort, offset and cursor gives the
/// same rows in the same order both ways.
/// </summary>
public sealed class FeedSqlEquivalenceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task EveryGeneratedFilterGivesTheSameRowsInSqlAndInEf()
    {
        await GeneratedFilters.SeedAsync(api.ConnectionString, api.OrgId);
        var random = new Random(GeneratedFilters.Seed);
        await using var db = QueryPlans.OpenDb(api);
        var compared = 0;
        var nonEmpty = 0;
        for (var sample = 0; sample < 300; sample++)
        {
            var query = GeneratedFilters.Sample(random);
            var filters = GeneratedFilters.Parse(query);
            var take = random.Next(1, 40);
            var offset = random.Next(3) == 0 ? random.Next(0, 60) : 0;

            var expected = await EfPageAsync(db, filters, null, offset, take);
            var actual = await SqlPageAsync(filters, null, offset, take);
            Assert.True(expected.SequenceEqual(actual), $"{query} take={take} offset={offset}: EF {string.Join(',', expected)}\nSQL {string.Join(',', actual)}");
            compared++;
            if (expected.Count == 0)
            {
                continue;
            }

            nonEmpty++;
            // The keyset page after a row of this page (its sort value and id, as a cursor holds them).
            var lastId = expected[random.Next(expected.Count)];
            var last = await db.Activities.AsNoTracking().SingleAsync(a => a.OrgId == api.OrgId && a.Id == lastId, ActivityClient.Cancel);
            var cursor = new FeedCursor("org", filters.Canonical, FeedCursor.ToMicros(GeneratedFilters.SortValue(last.OccurredAt, last.CreatedAt, last.UpdatedAt, filters.SortBy)), last.Id);
            expected = await EfPageAsync(db, filters, cursor, 0, take);
            actual = await SqlPageAsync(filters, cursor, 0, take);
            Assert.True(expected.SequenceEqual(actual), $"{query} take={take} after {last.Id}: EF {string.Join(',', expected)}\nSQL {string.Join(',', actual)}");
            compared++;
        }

        // Combinations of several rare values often match nothing; at least a quarter must match rows, or the run proves little.
        Assert.True(nonEmpty >= 75, $"only {nonEmpty} of {compared} comparisons had rows");
    }

    private async Task<List<string>> EfPageAsync(ActivityFeedDb db, FeedFilters filters, FeedCursor? after, int offset, int take)
    {
        var page = FeedQuery.Page(FeedQuery.Filtered(db, api.OrgId, filters), filters, after);
        return await page.Skip(offset).Take(take).Select(a => a.Id).ToListAsync(ActivityClient.Cancel);
    }

    private async Task<List<string>> SqlPageAsync(FeedFilters filters, FeedCursor? after, int offset, int take)
    {
        await using var db = QueryPlans.OpenDb(api);
        var rows = await ActivityRows.ReadAsync(db, FeedSql.Page(api.OrgId, filters, after, offset, take), ActivityClient.Cancel);
        return [.. rows.Select(r => r.Activity.Id)];
    }
}
