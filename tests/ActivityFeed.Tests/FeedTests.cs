using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class FeedTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, string OrgId)> SeededOrgAsync(string name, params object[] activities)
    {
        var org = await api.CreateOrgAsync(name);
        var client = api.ClientWithKey(org.ApiKey);
        if (activities.Length > 0)
        {
            await (await client.PostBatchAsync(org.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
        }

        return (client, org.OrgId);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    private static List<string?> Titles(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();

    [Fact]
    public async Task TheOrgFeedIsNewestFirstByOccurredAtWithTheEnvelope()
    {
        var (client, org) = await SeededOrgAsync("Feed order",
            new { type = "call", title = "old", occurred_at = "2026-01-01T00:00:00Z" },
            new { type = "call", title = "new", occurred_at = "2026-03-01T00:00:00Z" },
            new { type = "call", title = "mid", occurred_at = "2026-02-01T00:00:00Z" });
        var response = await client.GetAsync($"/orgs/{org}/activities", Cancel);
        var page = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["new", "mid", "old"], Titles(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(25, page.GetProperty("take").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("total_count").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("total_pages").ValueKind);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task SortByAndSortOrderChangeTheOrderAndIdBreaksTies()
    {
        var same = "2026-05-05T05:05:05.555555Z";
        var (client, org) = await SeededOrgAsync("Feed sort",
            new { type = "call", title = "a", occurred_at = same },
            new { type = "call", title = "b", occurred_at = same },
            new { type = "call", title = "c", occurred_at = same });
        var desc = await GetAsync(client, $"/orgs/{org}/activities");
        var asc = await GetAsync(client, $"/orgs/{org}/activities?sort_order=asc");
        var descIds = desc.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        var ascIds = asc.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal(descIds.OrderDescending(StringComparer.Ordinal), descIds);
        Assert.Equal(ascIds.Order(StringComparer.Ordinal), ascIds);
        var byCreated = await GetAsync(client, $"/orgs/{org}/activities?sort_by=created_at&sort_order=ASC");
        Assert.Equal(3, byCreated.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task EveryFilterNarrowsTheFeed()
    {
        var (client, org) = await SeededOrgAsync("Feed filters",
            new { type = "call", title = "t1", actor_id = "u1", assistant_id = "as1", segment_id = "s1", contact_id = "c1", visitor_id = "v1", customer_id = "cu1", table_id = "t1", record_id = "r1", broadcast_id = "b1", relation = new { type = "product", id = "p1" }, tags = new[] { "x", "y" }, channel = "EMAIL", pinned = true, external_id = "e1", occurred_at = "2026-01-01T00:00:00.000001Z" },
            new { type = "meeting", title = "t2", actor_id = "u2", contact_id = "c2", tags = new[] { "z" }, channel = "SMS", occurred_at = "2026-01-02T00:00:00Z" },
            new { type = "message.sent", title = "t3", occurred_at = "2026-01-03T00:00:00Z" });
        var cases = new Dictionary<string, string[]>
        {
            ["type=call"] = ["t1"],
            ["type=call,meeting"] = ["t2", "t1"],
            ["type=call&type=message.sent"] = ["t3", "t1"],
            ["actor_id=u1"] = ["t1"],
            ["assistant_id=as1"] = ["t1"],
            ["segment_id=s1"] = ["t1"],
            ["contact_id=c2"] = ["t2"],
            ["visitor_id=v1"] = ["t1"],
            ["customer_id=cu1"] = ["t1"],
            ["table_id=t1"] = ["t1"],
            ["record_id=r1"] = ["t1"],
            ["broadcast_id=b1"] = ["t1"],
            ["relation_type=product"] = ["t1"],
            ["relation_type=product&relation_id=p1"] = ["t1"],
            ["relation_type=product&relation_id=p2"] = [],
            ["tag=y"] = ["t1"],
            ["tag=z,y"] = ["t2", "t1"],
            ["channel=SMS"] = ["t2"],
            ["pinned=true"] = ["t1"],
            ["pinned=false"] = ["t3", "t2"],
            ["external_id=e1"] = ["t1"],
            ["occurred_at_gt=2026-01-01T00:00:00.000001Z"] = ["t3", "t2"],
            ["occurred_at_gte=2026-01-01T00:00:00.000001Z"] = ["t3", "t2", "t1"],
            ["occurred_at_gte=2026-01-01T00:00:00.000002Z"] = ["t3", "t2"],
            ["occurred_at_lt=2026-01-02T00:00:00Z"] = ["t1"],
            ["occurred_at_lte=2026-01-02T00:00:00Z"] = ["t2", "t1"],
            ["created_at_lte=2000-01-01T00:00:00Z"] = [],
            ["updated_at_gte=2000-01-01T00:00:00Z"] = ["t3", "t2", "t1"],
            ["type=call&contact_id=c2"] = [],
        };
        foreach (var (query, expected) in cases)
        {
            var page = await GetAsync(client, $"/orgs/{org}/activities?{query}");
            Assert.True(expected.SequenceEqual(Titles(page)!), $"{query}: expected [{string.Join(",", expected)}] got [{string.Join(",", Titles(page))}]");
        }
    }

    [Fact]
    public async Task ContactAndRecordFeedsAreScopedByThePath()
    {
        var (client, org) = await SeededOrgAsync("Feed scopes",
            new { type = "call", title = "c1-r1", contact_id = "c1", record_id = "r1" },
            new { type = "call", title = "c1", contact_id = "c1" },
            new { type = "call", title = "r1", record_id = "r1" },
            new { type = "call", title = "none" });
        Assert.Equal(2, (await GetAsync(client, $"/orgs/{org}/contacts/c1/activities")).GetProperty("items").GetArrayLength());
        Assert.Equal(2, (await GetAsync(client, $"/orgs/{org}/records/r1/activities")).GetProperty("items").GetArrayLength());
        Assert.Equal(["c1-r1"], Titles(await GetAsync(client, $"/orgs/{org}/contacts/c1/activities?record_id=r1")));
        Assert.Empty(Titles(await GetAsync(client, $"/orgs/{org}/contacts/nobody/activities")));
        await (await client.GetAsync($"/orgs/{org}/contacts/c1/activities?contact_id=c2", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task NextWalksEveryRowOnceAndPageIsNullWhilePagingByCursor()
    {
        var (client, org) = await SeededOrgAsync("Feed walk", Enumerable.Range(0, 23).Select(i => (object)new { type = "call", title = $"n{i:00}", occurred_at = $"2026-01-01T00:00:{i:00}Z" }).ToArray());
        var first = await client.GetAsync($"/orgs/{org}/activities?take=5&include_total=true", Cancel);
        var page = await first.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(23, page.GetProperty("total_count").GetInt64());
        Assert.Equal(5, page.GetProperty("total_pages").GetInt32());
        var link = first.Headers.GetValues("Link").Single();
        Assert.Matches("^<http[^>]+next=[^>]+>; rel=\"next\"$", link);
        var seen = Titles(page);
        while (page.GetProperty("has_more").GetBoolean())
        {
            page = await GetAsync(client, $"/orgs/{org}/activities?next={Uri.EscapeDataString(page.GetProperty("next").GetString()!)}&take=7");
            Assert.Equal(JsonValueKind.Null, page.GetProperty("page").ValueKind);
            seen.AddRange(Titles(page));
        }

        Assert.Equal(Enumerable.Range(0, 23).Reverse().Select(i => $"n{i:00}"), seen);
    }

    [Fact]
    public async Task TheLinkHeaderFetchesTheNextPage()
    {
        var (client, org) = await SeededOrgAsync("Feed link", Enumerable.Range(0, 4).Select(i => (object)new { type = "call", title = $"l{i}", contact_id = "c" }).ToArray());
        var first = await client.GetAsync($"/orgs/{org}/contacts/c/activities?take=3&type=call", Cancel);
        var link = first.Headers.GetValues("Link").Single();
        var url = new Uri(link[1..link.IndexOf('>', StringComparison.Ordinal)]);
        var second = await GetAsync(client, url.PathAndQuery);
        Assert.Single(second.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task TheCursorCarriesFiltersAndSortSoNextAloneContinues()
    {
        var (client, org) = await SeededOrgAsync("Feed cursor", Enumerable.Range(0, 6).Select(i => (object)new { type = i % 2 == 0 ? "call" : "meeting", title = $"k{i}", occurred_at = $"2026-01-01T00:00:0{i}Z" }).ToArray());
        var first = await GetAsync(client, $"/orgs/{org}/activities?type=call&sort_order=asc&take=2");
        var next = Uri.EscapeDataString(first.GetProperty("next").GetString()!);
        Assert.Equal(["k4"], Titles(await GetAsync(client, $"/orgs/{org}/activities?next={next}")));
        Assert.Equal(["k4"], Titles(await GetAsync(client, $"/orgs/{org}/activities?next={next}&type=call&sort_order=asc")));

        foreach (var conflicting in new[] { "type=meeting", "sort_order=desc", "sort_by=created_at", "contact_id=c1" })
        {
            var problem = await (await client.GetAsync($"/orgs/{org}/activities?next={next}&{conflicting}", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(conflicting.Split('=')[0], out _), problem.GetRawText());
        }

        await (await client.GetAsync($"/orgs/{org}/contacts/c1/activities?next={next}", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OffsetPagesAndTheirLimit()
    {
        var (client, org) = await SeededOrgAsync("Feed offset", Enumerable.Range(0, 7).Select(i => (object)new { type = "call", title = $"o{i}", occurred_at = $"2026-01-01T00:00:0{i}Z" }).ToArray());
        var second = await GetAsync(client, $"/orgs/{org}/activities?take=3&page=2");
        Assert.Equal(["o3", "o2", "o1"], Titles(second));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(["o0"], Titles(await GetAsync(client, $"/orgs/{org}/activities?next={Uri.EscapeDataString(second.GetProperty("next").GetString()!)}")));

        var deep = await (await client.GetAsync($"/orgs/{org}/activities?take=100&page=101", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("next", deep.GetProperty("errors").GetProperty("page")[0].GetString(), StringComparison.Ordinal);
        await GetAsync(client, $"/orgs/{org}/activities?take=100&page=100");
    }

    [Theory]
    [InlineData("sort_by=title", "sort_by")]
    [InlineData("sort_order=up", "sort_order")]
    [InlineData("take=0", "take")]
    [InlineData("take=101", "take")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=1&next=x", "page")]
    [InlineData("occurred_at_gt=yesterday", "occurred_at_gt")]
    [InlineData("created_at_lte=2026-01-01", "created_at_lte")]
    [InlineData("updated_at_lt=2026-01-01T00:00:00.1234567Z", "updated_at_lt")]
    [InlineData("next=not-a-cursor", "next")]
    [InlineData("next=eyJGIjoib3JnIn0.AAAA", "next")]
    [InlineData("colour=red", "colour")]
    [InlineData("actor_id=has%20space", "actor_id")]
    [InlineData("type=Not%20A%20Type", "type")]
    [InlineData("pinned=yes", "pinned")]
    [InlineData("channel=email", "channel")]
    [InlineData("relation_id=p1", "relation_id")]
    [InlineData("contact_id=a&contact_id=b", "contact_id")]
    [InlineData("include_total=1", "include_total")]
    public async Task EveryBadParameterIs400NamingIt(string query, string parameter)
    {
        var problem = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities?{query}", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
    }

    [Fact]
    public async Task AnAlteredCursorIs400()
    {
        var (client, org) = await SeededOrgAsync("Feed tamper", new { type = "call" }, new { type = "call" });
        var next = (await GetAsync(client, $"/orgs/{org}/activities?take=1")).GetProperty("next").GetString()!;
        var payload = next[..next.IndexOf('.', StringComparison.Ordinal)];
        var json = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(payload)).Replace("\"desc\"", "\"asc\"", StringComparison.Ordinal);
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json)) + next[next.IndexOf('.', StringComparison.Ordinal)..];
        var problem = await (await client.GetAsync($"/orgs/{org}/activities?next={Uri.EscapeDataString(forged)}", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("next", out _));
    }

    [Fact]
    public async Task AnotherOrgsCursorIs400()
    {
        var (client, org) = await SeededOrgAsync("Feed cursor org", new { type = "call" }, new { type = "call" });
        var next = (await GetAsync(client, $"/orgs/{org}/activities?take=1")).GetProperty("next").GetString()!;
        var problem = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities?next={Uri.EscapeDataString(next)}", Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("next", out _));
    }

    [Fact]
    public async Task ReadingFeedsNeedsTheReadScope()
    {
        var writer = api.ClientWithKey(await api.CreateKeyAsync("activities:write"));
        await (await writer.GetAsync($"/orgs/{api.OrgId}/activities", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.ClientWithKey(null).GetAsync($"/orgs/{api.OrgId}/contacts/c/activities", Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
