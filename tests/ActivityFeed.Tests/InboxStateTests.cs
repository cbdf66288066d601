using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>Read, seen and archived state: by ids, by filter-scoped mark-all, and the counts.</summary>
public sealed class InboxStateTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, string OrgId, Dictionary<string, string> Ids)> InboxAsync(string name, params (string Title, string Type)[] items)
    {
        var org = await api.CreateOrgAsync(name);
        var client = api.ClientWithKey(org.ApiKey);
        var activities = items.Select((item, i) => new { type = item.Type, title = item.Title, recipients = new[] { "u1" }, occurred_at = $"2026-01-01T00:{i:00}:00Z" }).ToArray();
        var created = await (await client.PostBatchAsync(org.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
        var ids = created.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("title").GetString()!, i => i.GetProperty("id").GetString()!);
        return (client, org.OrgId, ids);
    }

    private static async Task<int> ActAsync(HttpClient client, string org, string action, object body, string query = "")
    {
        var result = await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/inbox/{action}{query}", body, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        return result.GetProperty("updated").GetInt32();
    }

    private static async Task<(long Unread, long Unseen, long Total)> CountsAsync(HttpClient client, string org, string query = "")
    {
        var counts = await (await client.GetAsync($"/orgs/{org}/users/u1/inbox/counts{query}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["unread", "unseen", "total"], counts.EnumerateObject().Select(p => p.Name));
        return (counts.GetProperty("unread").GetInt64(), counts.GetProperty("unseen").GetInt64(), counts.GetProperty("total").GetInt64());
    }

    private static async Task<JsonElement> ItemAsync(HttpClient client, string org, string id, string status = "all")
    {
        var page = await (await client.GetAsync($"/orgs/{org}/users/u1/inbox?status={status}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task EachActionByIdsCountsOnlyRealChanges()
    {
        var (client, org, ids) = await InboxAsync("State by ids", ("a", "call"), ("b", "call"));
        var a = new { ids = new[] { ids["a"] } };
        Assert.Equal(1, await ActAsync(client, org, "read", a));
        Assert.Equal(0, await ActAsync(client, org, "read", a));
        var item = await ItemAsync(client, org, ids["a"]);
        Assert.NotEqual(JsonValueKind.Null, item.GetProperty("read_at").ValueKind);
        Assert.Equal(item.GetProperty("read_at").GetString(), item.GetProperty("seen_at").GetString()); // reading marks seen
        Assert.Equal((1, 1, 2), await CountsAsync(client, org));

        Assert.Equal(1, await ActAsync(client, org, "unread", a));
        Assert.Equal(0, await ActAsync(client, org, "unread", a));
        Assert.Equal((2, 1, 2), await CountsAsync(client, org)); // unread keeps seen

        Assert.Equal(1, await ActAsync(client, org, "unseen", a));
        Assert.Equal(0, await ActAsync(client, org, "unseen", a));
        Assert.Equal(2, await ActAsync(client, org, "seen", new { ids = new[] { ids["a"], ids["b"], "act_not_in_this_inbox" } }));
        Assert.Equal((2, 0, 2), await CountsAsync(client, org));

        Assert.Equal(1, await ActAsync(client, org, "archive", a));
        Assert.Equal(0, await ActAsync(client, org, "archive", a));
        Assert.Equal((1, 0, 1), await CountsAsync(client, org)); // archived items are never counted
        Assert.NotEqual(JsonValueKind.Null, (await ItemAsync(client, org, ids["a"], "archived")).GetProperty("archived_at").ValueKind);
        Assert.Equal(1, await ActAsync(client, org, "unarchive", a));
        Assert.Equal(0, await ActAsync(client, org, "unarchive", a));
        Assert.Equal((2, 0, 2), await CountsAsync(client, org));
    }

    [Fact]
    public async Task MarkAllIsScopedByTheFiltersAndLeavesOtherItemsUnread()
    {
        var (client, org, ids) = await InboxAsync("Mark all by filter", ("call 1", "call"), ("call 2", "call"), ("meeting 1", "meeting"), ("meeting 2", "meeting"));
        Assert.Equal(2, await ActAsync(client, org, "read", new { all = true }, "?type=call"));
        Assert.Equal((2, 2, 4), await CountsAsync(client, org));
        Assert.Equal((0, 0, 2), await CountsAsync(client, org, "?type=call"));
        Assert.Equal((2, 2, 2), await CountsAsync(client, org, "?type=meeting"));
        Assert.Equal(JsonValueKind.Null, (await ItemAsync(client, org, ids["meeting 1"])).GetProperty("read_at").ValueKind);

        // The tab scopes it too: archive what is read, the unread stay in the inbox.
        Assert.Equal(2, await ActAsync(client, org, "archive", new { all = true }, "?status=read"));
        Assert.Equal((2, 2, 2), await CountsAsync(client, org));
        // Unarchive defaults to the archived tab, and takes the same filters.
        Assert.Equal(1, await ActAsync(client, org, "unarchive", new { all = true }, $"?occurred_at_lte=2026-01-01T00:00:00Z"));
        Assert.Equal(1, await ActAsync(client, org, "unarchive", new { all = true }));
        Assert.Equal((2, 2, 4), await CountsAsync(client, org));
        Assert.Equal(2, await ActAsync(client, org, "read", new { all = true })); // the calls were read before they were archived
        Assert.Equal((0, 0, 4), await CountsAsync(client, org));
    }

    [Fact]
    public async Task CountsTakeTheListFiltersAndTab()
    {
        var (client, org, ids) = await InboxAsync("Counts filters", ("a", "call"), ("b", "meeting"), ("c", "call"));
        await ActAsync(client, org, "seen", new { ids = new[] { ids["a"] } });
        Assert.Equal((3, 2, 3), await CountsAsync(client, org));
        Assert.Equal((2, 1, 2), await CountsAsync(client, org, "?type=call"));
        Assert.Equal((3, 2, 3), await CountsAsync(client, org, "?status=unread"));
        Assert.Equal((2, 2, 2), await CountsAsync(client, org, "?status=unseen"));
        Assert.Equal((0, 0, 0), await CountsAsync(client, org, "?status=read"));
        Assert.Equal((1, 1, 1), await CountsAsync(client, org, "?occurred_at_gte=2026-01-01T00:02:00Z"));
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("{\"ids\": [\"act_1\"], \"all\": true}", "body")]
    [InlineData("{\"all\": false}", "all")]
    [InlineData("{\"ids\": []}", "ids")]
    [InlineData("{\"ids\": [\"\"]}", "ids[0]")]
    [InlineData("{\"everything\": true}", "everything")]
    [InlineData("{\"ids\": \"act_1\"}", "ids")]
    public async Task ABadActionBodyIsAProblem(string body, string field)
    {
        var response = await api.AdminClient().PostAsync($"/orgs/{api.OrgId}/users/u1/inbox/read", HttpAssertions.Json(body), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("read?status=sometimes", "{\"all\": true}", "status")]
    [InlineData("read?type=call", "{\"ids\": [\"act_1\"]}", "type")]
    [InlineData("read?take=5", "{\"all\": true}", "take")]
    [InlineData("archive?pinned=maybe", "{\"all\": true}", "pinned")]
    public async Task ABadActionQueryIsAProblem(string path, string body, string parameter)
    {
        var response = await api.AdminClient().PostAsync($"/orgs/{api.OrgId}/users/u1/inbox/{path}", HttpAssertions.Json(body), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task CountsOfTheArchivedTabAreABadRequest()
    {
        var response = await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/users/u1/inbox/counts?status=archived", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheKeptCountersAgreeWithCountingTheItemsThroughEveryKindOfWrite()
    {
        var org = await api.CreateOrgAsync("Counters");
        var client = api.ClientWithKey(org.ApiKey);
        var users = new[] { "u1", "u2", "u3" };
        var random = new Random(7);
        var ids = new List<string>();

        async Task AssertAgreeAsync(string step)
        {
            foreach (var user in users)
            {
                var kept = await (await client.GetAsync($"/orgs/{org.OrgId}/users/{user}/inbox/counts", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
                // A time range that matches everything takes the counting path.
                var counted = await (await client.GetAsync($"/orgs/{org.OrgId}/users/{user}/inbox/counts?created_at_gte=2000-01-01T00:00:00Z", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
                Assert.True(kept.ToString() == counted.ToString(), $"{step}, {user}: kept {kept} but counted {counted}");
            }
        }

        for (var round = 0; round < 6; round++)
        {
            var batch = Enumerable.Range(0, 8).Select(i => new
            {
                type = "call",
                title = $"r{round} i{i}",
                contact_id = i % 4 == 0 ? "c_erase" : "c_keep",
                recipients = users.Where(_ => random.Next(2) == 0).ToArray(),
            }).ToArray();
            var created = await (await client.PostBatchAsync(org.OrgId, new { activities = batch })).ReadJsonAsync(HttpStatusCode.Created);
            ids.AddRange(created.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
            await AssertAgreeAsync($"round {round} created");

            var user = users[random.Next(users.Length)];
            var some = ids.Where(_ => random.Next(3) == 0).ToArray();
            var action = new[] { "read", "unread", "seen", "unseen", "archive", "unarchive" }[random.Next(6)];
            if (some.Length > 0)
            {
                await (await client.PostAsJsonAsync($"/orgs/{org.OrgId}/users/{user}/inbox/{action}", new { ids = some }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            }

            await (await client.PostAsJsonAsync($"/orgs/{org.OrgId}/users/{users[random.Next(users.Length)]}/inbox/archive?status=read", new { all = true }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            await (await client.GetAsync($"/orgs/{org.OrgId}/users/{users[random.Next(users.Length)]}/inbox?take=3&mark_read=true", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            await (await client.PatchActivityAsync(org.OrgId, ids[random.Next(ids.Count)], "{\"title\": \"patched\"}")).ReadJsonAsync(HttpStatusCode.OK);
            var victim = ids[random.Next(ids.Count)];
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/orgs/{org.OrgId}/activities/{victim}", Cancel)).StatusCode);
            ids.Remove(victim);
            await AssertAgreeAsync($"round {round} after {action}, mark-all, mark_read, patch, delete");
        }

        await (await client.DeleteAsync($"/orgs/{org.OrgId}/contacts/c_erase/activities", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await AssertAgreeAsync("after erasure");
    }

    [Fact]
    public async Task AUserTokenChangesItsOwnInboxOnly()
    {
        var (client, org, ids) = await InboxAsync("State by token", ("a", "call"), ("b", "call"));
        await (await client.PostBatchAsync(org, new { activities = new[] { new { type = "call", title = "u2's", recipients = new[] { "u2" } } } })).ReadJsonAsync(HttpStatusCode.Created);
        var minted = await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/tokens", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var user = api.ClientWithKey(minted.GetProperty("token").GetString());
        var result = await (await user.PostAsJsonAsync($"/orgs/{org}/users/me/inbox/read", new { all = true }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, result.GetProperty("updated").GetInt32());
        var counts = await (await user.GetAsync($"/orgs/{org}/users/me/inbox/counts", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, counts.GetProperty("unread").GetInt64());
        var other = await (await client.GetAsync($"/orgs/{org}/users/u2/inbox/counts", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, other.GetProperty("unread").GetInt64());
        Assert.Single(ids, i => i.Key == "a");
    }
}
