using System.Globalization;
using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>
/// For random filters, sorts and page sizes, walking `next` to the end yields exactly the rows an
/// independent in-memory model of the same query yields, in order, none twice and none missing,
/// while other rows are being written.
/// </summary>
public sealed class FeedPagingPropertyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Row(string Id, string Type, string? ContactId, string? ActorId, string[] Tags, bool Pinned, DateTimeOffset OccurredAt, DateTimeOffset CreatedAt);

    private static readonly string[] Types = ["call", "meeting", "sent_email", "message.sent"];
    private static readonly string?[] Contacts = ["c1", "c2", "c3", null];
    private static readonly string?[] Actors = ["u1", "u2", null];
    private static readonly string[] TagPool = ["a", "b", "c"];

    // A few distinct instants, so many rows tie on the sort column and the id must break the ties.
    private static readonly DateTimeOffset[] Instants =
        [.. Enumerable.Range(0, 6).Select(i => new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(i * 7_000_010))];

    [Fact]
    public async Task WalkingNextReturnsExactlyTheUnpagedRowsInOrderWhileRowsAreInserted()
    {
        var random = new Random(20261124);
        var org = await api.CreateOrgAsync("Paging property");
        var client = api.ClientWithKey(org.ApiKey);
        var rows = await SeedAsync(client, org.OrgId, random, 400);

        using var stop = new CancellationTokenSource();
        var noiseIds = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writer = Task.Run(async () =>
        {
            var noiseClient = api.ClientWithKey(org.ApiKey);
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                // Rows that match many filters and land anywhere in the order, including ties.
                var created = await noiseClient.PostActivityAsync(org.OrgId, new
                {
                    type = Types[n % Types.Length],
                    contact_id = "c1",
                    tags = new[] { "a", "noise" },
                    occurred_at = Timestamp(Instants[n % Instants.Length]),
                });
                noiseIds.Add((await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
                n++;
            }
        }, ActivityClient.Cancel);

        var walks = new List<(string Query, int Take, List<string> Expected, List<string> Walked)>();
        try
        {
            for (var walk = 0; walk < 40; walk++)
            {
                var (query, predicate, sortByCreated, descending) = RandomQuery(random);
                var take = random.Next(1, 18);
                var expected = Order(rows.Where(predicate), sortByCreated, descending).Select(r => r.Id).ToList();

                var walked = new List<string>();
                var url = $"/orgs/{org.OrgId}/activities?take={take}{query}";
                for (var pages = 0; ; pages++)
                {
                    Assert.True(pages < 1000, "the walk does not end");
                    var page = await (await client.GetAsync(url, ActivityClient.Cancel)).ReadJsonAsync(HttpStatusCode.OK);
                    walked.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
                    if (!page.GetProperty("has_more").GetBoolean())
                    {
                        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
                        break;
                    }

                    url = $"/orgs/{org.OrgId}/activities?next={Uri.EscapeDataString(page.GetProperty("next").GetString()!)}&take={random.Next(1, 18)}";
                }

                walks.Add((query, take, expected, walked));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        // Only now is every noise row's id known (a walk can see a row whose POST has not answered yet).
        var noise = noiseIds.ToHashSet();
        foreach (var (query, take, expected, walked) in walks)
        {
            Assert.True(walked.Count == walked.Distinct().Count(), $"duplicates in walk ({query})");
            var seeded = walked.Where(id => !noise.Contains(id)).ToList();
            Assert.True(expected.SequenceEqual(seeded),
                $"walk ({query}, take {take}): expected {expected.Count} rows, walked {seeded.Count}; first difference at {expected.Zip(seeded).TakeWhile(p => p.First == p.Second).Count()}");
        }

        Assert.NotEmpty(noiseIds);
    }

    private static (string Query, Func<Row, bool> Predicate, bool SortByCreated, bool Descending) RandomQuery(Random random)
    {
        var query = "";
        Func<Row, bool> predicate = _ => true;
        void And(string parameter, Func<Row, bool> condition)
        {
            query += "&" + parameter;
            var previous = predicate;
            predicate = r => previous(r) && condition(r);
        }

        if (random.Next(3) == 0)
        {
            var types = Types.Where(_ => random.Next(2) == 0).DefaultIfEmpty("call").ToArray();
            And($"type={string.Join(',', types)}", r => types.Contains(r.Type));
        }

        if (random.Next(3) == 0)
        {
            var contact = Contacts[random.Next(3)]!;
            And($"contact_id={contact}", r => r.ContactId == contact);
        }

        if (random.Next(4) == 0)
        {
            var actor = Actors[random.Next(2)]!;
            And($"actor_id={actor}", r => r.ActorId == actor);
        }

        if (random.Next(4) == 0)
        {
            var tag = TagPool[random.Next(TagPool.Length)];
            And($"tag={tag}", r => r.Tags.Contains(tag));
        }

        if (random.Next(5) == 0)
        {
            var pinned = random.Next(2) == 0;
            And($"pinned={(pinned ? "true" : "false")}", r => r.Pinned == pinned);
        }

        if (random.Next(3) == 0)
        {
            var bound = Instants[random.Next(Instants.Length)];
            if (random.Next(2) == 0)
            {
                And($"occurred_at_gte={Uri.EscapeDataString(Timestamp(bound))}", r => r.OccurredAt >= bound);
            }
            else
            {
                And($"occurred_at_lt={Uri.EscapeDataString(Timestamp(bound))}", r => r.OccurredAt < bound);
            }
        }

        var sortByCreated = random.Next(3) == 0;
        var descending = random.Next(2) == 0;
        query += (sortByCreated ? "&sort_by=created_at" : "") + (descending ? "" : "&sort_order=asc");
        return (query, predicate, sortByCreated, descending);
    }

    private static IEnumerable<Row> Order(IEnumerable<Row> rows, bool sortByCreated, bool descending)
    {
        Func<Row, DateTimeOffset> key = sortByCreated ? r => r.CreatedAt : r => r.OccurredAt;
        return descending
            ? rows.OrderByDescending(key).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            : rows.OrderBy(key).ThenBy(r => r.Id, StringComparer.Ordinal);
    }

    private static async Task<List<Row>> SeedAsync(HttpClient client, string orgId, Random random, int count)
    {
        var requests = Enumerable.Range(0, count).Select(_ => new
        {
            type = Types[random.Next(Types.Length)],
            contact_id = Contacts[random.Next(Contacts.Length)],
            actor_id = Actors[random.Next(Actors.Length)],
            tags = TagPool.Where(_ => random.Next(3) == 0).ToArray(),
            pinned = random.Next(5) == 0,
            occurred_at = Timestamp(Instants[random.Next(Instants.Length)]),
        }).ToList();
        var rows = new List<Row>();
        foreach (var chunk in requests.Chunk(100))
        {
            var created = await (await client.PostBatchAsync(orgId, new { activities = chunk })).ReadJsonAsync(HttpStatusCode.Created);
            rows.AddRange(created.GetProperty("items").EnumerateArray().Select(i => new Row(
                i.GetProperty("id").GetString()!,
                i.GetProperty("type").GetString()!,
                i.GetProperty("contact_id").GetString(),
                i.GetProperty("actor") is { ValueKind: JsonValueKind.Object } actor ? actor.GetProperty("id").GetString() : null,
                [.. i.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)],
                i.GetProperty("pinned_at").ValueKind != JsonValueKind.Null,
                DateTimeOffset.Parse(i.GetProperty("occurred_at").GetString()!, CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(i.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
