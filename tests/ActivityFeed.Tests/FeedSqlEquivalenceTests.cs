using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// The feeds run their filters as SQL text (<see cref="FeedSql"/>); the inbox and the dialects
/// compose the same filters with EF (<see cref="FeedQuery"/>). Over rows with ties, nulls, tags,
/// pins and metadata, every generated combination of filters, sort, offset and cursor gives the
/// same rows in the same order both ways.
/// </summary>
public sealed class FeedSqlEquivalenceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int Seed = 20261202;

    private static readonly string[][] Choices =
    [
        ["type=call", "type=meeting", "type=call,meeting", "type=note_created,call"],
        ["actor_id=u1", "actor_id=u3"], ["assistant_id=a2"], ["contact_id=c1", "contact_id=c4"], ["segment_id=s0"],
        ["visitor_id=v2"], ["customer_id=cu0"], ["table_id=t1"], ["record_id=r2"], ["broadcast_id=b1"],
        ["relation_type=product", "relation_type=task", "relation_type=product&relation_id=p1"],
        ["tag=x", "tag=x,y", "tag=z"], ["channel=EMAIL", "channel=SMS"], ["pinned=true", "pinned=false"], ["external_id=e7"],
        ["metadata.step=2", "metadata.step=2.0", "metadata.sequence_id=s_1", "metadata.opened=true", "metadata.step=2&metadata.opened=false"],
        ["occurred_at_gt={-300}", "occurred_at_gte={-300}&occurred_at_lt={-100}", "occurred_at_lte={-50}"],
        ["created_at_lt={-200}", "created_at_lte={-200}&created_at_lt={-250}", "created_at_gte={-400}"],
        ["updated_at_gt={-150}", "updated_at_lte={-20}"],
    ];

    [Fact]
    public async Task EveryGeneratedFilterGivesTheSameRowsInSqlAndInEf()
    {
        await SeedAsync();
        var random = new Random(Seed);
        await using var db = QueryPlans.OpenDb(api);
        var compared = 0;
        var nonEmpty = 0;
        for (var sample = 0; sample < 300; sample++)
        {
            var parts = Choices.Where(_ => random.NextDouble() < 0.18).Select(c => c[random.Next(c.Length)]).ToList();
            parts.Add(random.Next(4) switch { 0 => "", 1 => "sort_order=asc", 2 => "sort_by=created_at", _ => "sort_by=updated_at&sort_order=asc" });
            var query = string.Join('&', parts.Where(p => p.Length > 0));
            var filters = Parse(query);
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
            var cursor = new FeedCursor("org", filters.Canonical, FeedCursor.ToMicros(SortValue(last, filters.SortBy)), last.Id);
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

    private static DateTimeOffset SortValue(Activity activity, SortField field) => field switch
    {
        SortField.CreatedAt => activity.CreatedAt,
        SortField.UpdatedAt => activity.UpdatedAt,
        _ => activity.OccurredAt,
    };

    /// <summary>The query's filters; <c>{-N}</c> is the instant N minutes before the seed's newest row.</summary>
    private static FeedFilters Parse(string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (p[0], p[1].StartsWith('{') ? Newest.AddMinutes(int.Parse(p[1].Trim('{', '}'), System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : p[1]))
            .GroupBy(p => p.Item1, p => p.Item2)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var errors = new Dictionary<string, string[]>();
        var filters = FeedFilters.Parse(values, errors);
        Assert.True(errors.Count == 0, $"{query}: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))}");
        return filters;
    }

    private static readonly DateTimeOffset Newest = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 1,200 rows: three share each occurred_at (ties broken by id), created_at and updated_at run in
    /// other orders, and the optional columns are null in many rows.
    /// </summary>
    private async Task SeedAsync()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(ActivityClient.Cancel);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO activities (org_id, id, type, occurred_at, created_at, updated_at, actor_id, assistant_id, contact_id,
                visitor_id, customer_id, table_id, record_id, segment_id, broadcast_id, relation_type, relation_id, tags, channel,
                pinned_at, external_id, recipients, metadata)
            SELECT @org, 'act_' || md5(i::text),
                   (ARRAY['call', 'meeting', 'note_created'])[1 + i % 3],
                   @newest - (i / 3) * interval '1 minute',
                   @newest - ((i * 7) % 1200) * interval '1 minute',
                   @newest - (i % 400) * interval '1 minute',
                   CASE WHEN i % 5 > 0 THEN 'u' || i % 4 END, CASE WHEN i % 2 = 0 THEN 'a' || i % 3 END, CASE WHEN i % 3 > 0 THEN 'c' || i % 5 END,
                   CASE WHEN i % 4 = 0 THEN 'v' || i % 3 END, CASE WHEN i % 6 = 0 THEN 'cu' || i % 2 END, 't' || i % 2, 'r' || i % 4,
                   CASE WHEN i % 2 = 1 THEN 's' || i % 2 END, CASE WHEN i % 3 = 0 THEN 'b' || i % 2 END,
                   CASE WHEN i % 4 = 0 THEN 'product' WHEN i % 4 = 1 THEN 'task' END, CASE WHEN i % 4 < 2 THEN 'p' || i % 3 END,
                   CASE WHEN i % 3 = 0 THEN ARRAY['x'] WHEN i % 3 = 1 THEN ARRAY['y', 'z'] ELSE ARRAY[]::text[] END,
                   CASE WHEN i % 2 = 0 THEN 'EMAIL' WHEN i % 5 = 1 THEN 'SMS' END,
                   CASE WHEN i % 7 = 0 THEN @newest END, CASE WHEN i % 10 = 7 THEN 'e' || i END, '{}',
                   jsonb_build_object('step', i % 4, 'sequence_id', 's_' || i % 3, 'opened', i % 2 = 0)
            FROM generate_series(1, 1200) AS i;
            ANALYZE activities;
            """, connection);
        insert.Parameters.AddWithValue("org", api.OrgId);
        insert.Parameters.AddWithValue("newest", Newest);
        await insert.ExecuteNonQueryAsync(ActivityClient.Cancel);
    }
}
