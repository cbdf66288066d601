using System.Globalization;
using ActivityFeed.Api.Activities.Feeds;
using Npgsql;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// Random combinations of every feed filter and sort over a seeded org (<see cref="SeedAsync"/>),
/// for tests that hold two implementations of the same list to the same rows.
/// </summary>
public static class GeneratedFilters
{
    public const int Seed = 20261202;

    /// <summary>The seed's newest instant; <c>{-N}</c> in a choice is N minutes before it.</summary>
    public static readonly DateTimeOffset Newest = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

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

    /// <summary>A query of a few filters (each kind with probability <paramref name="share"/>) and one of the sorts.</summary>
    public static string Sample(Random random, double share = 0.18)
    {
        var parts = Choices.Where(_ => random.NextDouble() < share).Select(c => c[random.Next(c.Length)]).ToList();
        parts.Add(random.Next(4) switch { 0 => "", 1 => "sort_order=asc", 2 => "sort_by=created_at", _ => "sort_by=updated_at&sort_order=asc" });
        return string.Join('&', parts.Where(p => p.Length > 0));
    }

    public static FeedFilters Parse(string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (p[0], p[1].StartsWith('{') ? Instant(p[1]) : p[1]))
            .GroupBy(p => p.Item1, p => p.Item2)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var errors = new Dictionary<string, string[]>();
        var filters = FeedFilters.Parse(values, errors);
        Assert.True(errors.Count == 0, $"{query}: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))}");
        return filters;
    }

    public static DateTimeOffset SortValue(DateTimeOffset occurredAt, DateTimeOffset createdAt, DateTimeOffset updatedAt, SortField field) => field switch
    {
        SortField.CreatedAt => createdAt,
        SortField.UpdatedAt => updatedAt,
        _ => occurredAt,
    };

    private static string Instant(string offset) =>
        Newest.AddMinutes(int.Parse(offset.Trim('{', '}'), CultureInfo.InvariantCulture)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// 1,200 activities in <paramref name="orgId"/>: three share each occurred_at (ties broken by
    /// id), created_at and updated_at run in other orders, and the optional columns are null in many
    /// rows. Then <paramref name="andThen"/> (more SQL on the same parameters), and ANALYZE.
    /// </summary>
    public static async Task SeedAsync(string connectionString, string orgId, string andThen = "")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ActivityClient.Cancel);
        await using var insert = new NpgsqlCommand($$"""
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
            {{andThen}}
            ANALYZE activities;
            """, connection);
        insert.Parameters.AddWithValue("org", orgId);
        insert.Parameters.AddWithValue("newest", Newest);
        await insert.ExecuteNonQueryAsync(ActivityClient.Cancel);
    }
}
