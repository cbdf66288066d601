using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary><c>metadata.&lt;member&gt;=&lt;value&gt;</c> on every list: typed comparison, ANDed, index-served.</summary>
public sealed class MetadataFilterTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, string OrgId)> SeededAsync(string name)
    {
        var org = await api.CreateOrgAsync(name);
        var client = api.ClientWithKey(org.ApiKey);
        var activities = new object[]
        {
            new { type = "call", title = "A", recipients = new[] { "u1" }, occurred_at = "2026-01-01T00:03:00Z", metadata = new { sequence_id = "s_9", step = 5, opened = true, nested = new { a = 1 }, list = new[] { 1 }, nothing = (string?)null } },
            new { type = "call", title = "B", recipients = new[] { "u1" }, occurred_at = "2026-01-01T00:02:00Z", metadata = new { sequence_id = "s_1", code = "5", step = 6 } },
            new { type = "meeting", title = "C", recipients = new[] { "u1" }, occurred_at = "2026-01-01T00:01:00Z", metadata = new { opened = false, step = 5.5 } },
        };
        await (await client.PostBatchAsync(org.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
        return (client, org.OrgId);
    }

    private static async Task<List<string?>> TitlesAsync(HttpClient client, string url) =>
        (await (await client.GetAsync(url, Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();

    [Fact]
    public async Task MembersCompareByTheirJsonType()
    {
        var (client, org) = await SeededAsync("Metadata types");
        var cases = new Dictionary<string, string[]>
        {
            ["metadata.sequence_id=s_9"] = ["A"],
            ["metadata.step=5"] = ["A"],
            ["metadata.step=5.0"] = ["A"],
            ["metadata.step=5e0"] = ["A"],
            ["metadata.step=5.5"] = ["C"],
            ["metadata.code=5"] = ["B"],
            ["metadata.code=5.0"] = [], // a string member compares as text
            ["metadata.opened=true"] = ["A"],
            ["metadata.opened=false"] = ["C"],
            ["metadata.nested=1"] = [],
            ["metadata.list=1"] = [],
            ["metadata.nothing=null"] = [],
            ["metadata.missing=1"] = [],
            ["metadata.sequence_id=s_9&metadata.step=5"] = ["A"],
            ["metadata.step=5&metadata.step=6"] = [],
            ["metadata.step=6&type=call"] = ["B"],
        };
        foreach (var (query, expected) in cases)
        {
            Assert.True(expected.SequenceEqual(await TitlesAsync(client, $"/orgs/{org}/activities?{query}")), query);
            Assert.True(expected.SequenceEqual(await TitlesAsync(client, $"/orgs/{org}/users/u1/inbox?{query}")), "inbox " + query);
        }

        var counts = await (await client.GetAsync($"/orgs/{org}/users/u1/inbox/counts?metadata.step=5", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, counts.GetProperty("total").GetInt64());
        Assert.Equal(1, (await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/inbox/read?metadata.opened=true", new { all = true }, Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("updated").GetInt32());
    }

    [Theory]
    [InlineData("metadata.bad-name=1")]
    [InlineData("metadata.=1")]
    [InlineData("metadata.a.b=1")]
    public async Task ABadMemberNameIsAProblemNamingTheParameter(string query)
    {
        var response = await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities?{query}", Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(query.Split('=')[0], out _), problem.ToString());
    }

    [Fact]
    public async Task AMemberNameLongerThan64IsABadRequest()
    {
        var response = await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities?metadata.{new string('m', 65)}=1", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ACursorCarriesTheMetadataFilters()
    {
        var (client, org) = await SeededAsync("Metadata cursor");
        var first = await (await client.GetAsync($"/orgs/{org}/activities?metadata.opened=true&take=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(first.GetProperty("has_more").GetBoolean());
        var page = await (await client.GetAsync($"/orgs/{org}/activities?type=call,meeting&metadata.step=5&take=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("A", page.GetProperty("items")[0].GetProperty("title").GetString());
        var all = await (await client.GetAsync($"/orgs/{org}/activities?metadata.sequence_id=s_9&take=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Single(all.GetProperty("items").EnumerateArray());

        var twoPages = await (await client.GetAsync($"/orgs/{org}/activities?type=call&take=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var next = Uri.EscapeDataString(twoPages.GetProperty("next").GetString()!);
        var withOther = await client.GetAsync($"/orgs/{org}/activities?next={next}&metadata.step=6", Cancel);
        Assert.True((await withOther.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("metadata.step", out _));

        var filtered = await (await client.GetAsync($"/orgs/{org}/activities?metadata.code=5&metadata.step=6&take=1&sort_order=asc", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("B", filtered.GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, filtered.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task StreamsApplyTheMetadataFiltersToo()
    {
        var org = await api.CreateOrgAsync("Metadata stream");
        var client = api.ClientWithKey(org.ApiKey);
        await using var stream = await SseClient.OpenAsync(client, $"/orgs/{org.OrgId}/activities/stream?metadata.step=5");
        await client.CreateActivityAsync(org.OrgId, new { type = "call", title = "six", metadata = new { step = 6 } });
        await client.CreateActivityAsync(org.OrgId, new { type = "call", title = "five", metadata = new { step = 5.0 } });
        Assert.Equal("five", (await stream.NextAsync()).Json.GetProperty("title").GetString());
    }
}
