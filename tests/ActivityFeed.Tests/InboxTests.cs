using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>The inbox list: fan-out by recipients, filters, paging, tabs and mark_read.</summary>
public sealed class InboxTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, string OrgId)> OrgAsync(string name, params object[] activities)
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

    private static object Activity(string title, string[] recipients, string type = "call", int minute = 0) =>
        new { type, title, recipients, occurred_at = $"2026-01-01T00:{minute:00}:00Z" };

    [Fact]
    public async Task RecipientsPutAnActivityInEachRecipientsInboxWithItsState()
    {
        var (client, org) = await OrgAsync("Inbox fan-out",
            Activity("both", ["u1", "u2"], minute: 1),
            Activity("u1 only", ["u1"], minute: 2),
            Activity("nobody", [], minute: 3));
        await client.PutAsJsonAsync($"/orgs/{org}/users/u9", new { name = "Nine" }, Cancel);
        await client.CreateActivityAsync(org, new { type = "meeting", title = "single", recipients = new[] { "u2" }, actor_id = "u9", occurred_at = "2026-01-01T00:04:00Z" });

        Assert.Equal(["u1 only", "both"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox")));
        var u2 = await GetAsync(client, $"/orgs/{org}/users/u2/inbox");
        Assert.Equal(["single", "both"], Titles(u2));
        var item = u2.GetProperty("items")[0];
        Assert.Equal("Nine", item.GetProperty("actor").GetProperty("name").GetString()); // enriched like every read
        Assert.Equal("meeting", item.GetProperty("type").GetString());
        foreach (var state in new[] { "read_at", "seen_at", "archived_at" })
        {
            Assert.Equal(JsonValueKind.Null, item.GetProperty(state).ValueKind);
        }

        Assert.Empty(Titles(await GetAsync(client, $"/orgs/{org}/users/u3/inbox")));
    }

    [Fact]
    public async Task DeletingOrErasingAnActivityTakesItOutOfEveryInbox()
    {
        var (client, org) = await OrgAsync("Inbox delete");
        var deleted = await client.CreateActivityAsync(org, new { type = "call", title = "deleted", recipients = new[] { "u1", "u2" } });
        await client.CreateActivityAsync(org, new { type = "call", title = "erased", contact_id = "c1", recipients = new[] { "u1" } });
        await client.CreateActivityAsync(org, new { type = "call", title = "kept", recipients = new[] { "u1" } });

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/orgs/{org}/activities/{deleted.GetProperty("id").GetString()}", Cancel)).StatusCode);
        await (await client.DeleteAsync($"/orgs/{org}/contacts/c1/activities", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["kept"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox")));
        Assert.Empty(Titles(await GetAsync(client, $"/orgs/{org}/users/u2/inbox")));
        var counts = await GetAsync(client, $"/orgs/{org}/users/u1/inbox/counts");
        Assert.Equal(1, counts.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task AFailedBatchDeliversNothing()
    {
        var (client, org) = await OrgAsync("Inbox atomic");
        var response = await client.PostBatchAsync(org, new { activities = new object[] { Activity("ok", ["u1"]), new { type = "no_such_type", recipients = new[] { "u1" } } } });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox")));
    }

    [Fact]
    public async Task TheInboxTakesEveryFeedFilterAndSort()
    {
        var (client, org) = await OrgAsync("Inbox filters",
            new { type = "call", title = "a", contact_id = "c1", tags = new[] { "vip" }, channel = "EMAIL", recipients = new[] { "u1" }, occurred_at = "2026-01-01T00:01:00Z" },
            new { type = "meeting", title = "b", contact_id = "c2", pinned = true, recipients = new[] { "u1" }, occurred_at = "2026-01-01T00:02:00Z" },
            new { type = "call", title = "c", actor_id = "u7", recipients = new[] { "u1", "u2" }, occurred_at = "2026-01-01T00:03:00Z" },
            new { type = "call", title = "not mine", contact_id = "c1", recipients = new[] { "u2" }, occurred_at = "2026-01-01T00:04:00Z" });
        var cases = new Dictionary<string, string[]>
        {
            [""] = ["c", "b", "a"],
            ["type=call"] = ["c", "a"],
            ["type=meeting,call&sort_order=asc"] = ["a", "b", "c"],
            ["contact_id=c1"] = ["a"],
            ["actor_id=u7"] = ["c"],
            ["tag=vip"] = ["a"],
            ["channel=EMAIL"] = ["a"],
            ["pinned=true"] = ["b"],
            ["pinned=false"] = ["c", "a"],
            ["occurred_at_gt=2026-01-01T00:01:00Z"] = ["c", "b"],
            ["occurred_at_lte=2026-01-01T00:02:00Z&type=meeting"] = ["b"],
        };
        foreach (var (query, expected) in cases)
        {
            Assert.True(expected.SequenceEqual(Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?{query}"))), query);
        }

        // One batch shares created_at and updated_at, so those sorts order by id: as the org feed does.
        foreach (var query in new[] { "sort_by=created_at&sort_order=asc", "created_at_gte=2020-01-01T00:00:00Z&sort_by=updated_at" })
        {
            var feed = Titles(await GetAsync(client, $"/orgs/{org}/activities?{query}")).Where(t => t != "not mine");
            Assert.Equal(feed, Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?{query}")));
        }
    }

    [Fact]
    public async Task APatchMovesTheItemInTheUpdatedAtSort()
    {
        var (client, org) = await OrgAsync("Inbox patch", Activity("first", ["u1"], minute: 1), Activity("second", ["u1"], minute: 2));
        var first = (await GetAsync(client, $"/orgs/{org}/users/u1/inbox")).GetProperty("items")[1];
        Assert.Equal("first", first.GetProperty("title").GetString());
        await (await client.PatchActivityAsync(org, first.GetProperty("id").GetString()!, "{\"title\": \"first, patched\"}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["first, patched", "second"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?sort_by=updated_at")));
        var since = (await GetAsync(client, $"/orgs/{org}/users/u1/inbox?sort_by=updated_at")).GetProperty("items")[0].GetProperty("updated_at").GetString();
        Assert.Equal(["first, patched"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?updated_at_gte={since}")));
    }

    [Fact]
    public async Task TheInboxPagesByOffsetAndByCursorWithTotals()
    {
        var (client, org) = await OrgAsync("Inbox paging", Enumerable.Range(1, 7).Select(i => Activity($"n{i}", ["u1"], minute: i)).ToArray());
        var first = await client.GetAsync($"/orgs/{org}/users/u1/inbox?take=3&include_total=true", Cancel);
        var page1 = await first.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["n7", "n6", "n5"], Titles(page1));
        Assert.Equal(7, page1.GetProperty("total_count").GetInt64());
        Assert.Equal(3, page1.GetProperty("total_pages").GetInt32());
        Assert.True(page1.GetProperty("has_more").GetBoolean());
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single());

        var page2 = await GetAsync(client, $"/orgs/{org}/users/u1/inbox?take=3&next={Uri.EscapeDataString(page1.GetProperty("next").GetString()!)}");
        Assert.Equal(["n4", "n3", "n2"], Titles(page2));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("page").ValueKind);
        var page3 = await GetAsync(client, $"/orgs/{org}/users/u1/inbox?take=3&next={Uri.EscapeDataString(page2.GetProperty("next").GetString()!)}");
        Assert.Equal(["n1"], Titles(page3));
        Assert.False(page3.GetProperty("has_more").GetBoolean());

        Assert.Equal(["n4", "n3", "n2"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?take=3&page=2")));
    }

    [Fact]
    public async Task ACursorIsBoundToItsUsersInboxAndItsTab()
    {
        var (client, org) = await OrgAsync("Inbox cursor", Enumerable.Range(1, 3).Select(i => Activity($"n{i}", ["u1", "u2"], minute: i)).ToArray());
        var next = Uri.EscapeDataString((await GetAsync(client, $"/orgs/{org}/users/u1/inbox?take=1&status=unread")).GetProperty("next").GetString()!);
        Assert.Equal(["n2"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?take=1&next={next}&status=unread")));
        var otherUser = await client.GetAsync($"/orgs/{org}/users/u2/inbox?next={next}", Cancel);
        Assert.True((await otherUser.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("next", out _));
        var otherTab = await client.GetAsync($"/orgs/{org}/users/u1/inbox?next={next}&status=all", Cancel);
        Assert.True((await otherTab.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("status", out _));
        var feed = await client.GetAsync($"/orgs/{org}/activities?next={next}", Cancel);
        await feed.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MarkReadOnAPagedWalkShowsEachPageAsItWasAndLeavesNothingItShowedUnread()
    {
        var (client, org) = await OrgAsync("Inbox mark_read", Enumerable.Range(1, 8).Select(i => Activity($"n{i}", ["u1"], minute: i)).ToArray());
        await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/inbox/read", new { ids = new[] { (await GetAsync(client, $"/orgs/{org}/users/u1/inbox?take=1")).GetProperty("items")[0].GetProperty("id").GetString() } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.OK); // n8 read beforehand

        var seen = new List<string?>();
        string? next = null;
        do
        {
            var url = $"/orgs/{org}/users/u1/inbox?take=3&mark_read=true" + (next is null ? "" : $"&next={Uri.EscapeDataString(next)}");
            var page = await GetAsync(client, url);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                seen.Add(item.GetProperty("title").GetString());
                var wasRead = item.GetProperty("title").GetString() == "n8";
                Assert.Equal(wasRead, item.GetProperty("read_at").ValueKind != JsonValueKind.Null);
            }

            next = page.GetProperty("next").GetString();
        }
        while (next is not null);

        Assert.Equal(Enumerable.Range(1, 8).Reverse().Select(i => $"n{i}"), seen);
        var counts = await GetAsync(client, $"/orgs/{org}/users/u1/inbox/counts");
        Assert.Equal(0, counts.GetProperty("unread").GetInt64());
        Assert.Equal(0, counts.GetProperty("unseen").GetInt64()); // reading marks seen too
        var after = await GetAsync(client, $"/orgs/{org}/users/u1/inbox");
        Assert.All(after.GetProperty("items").EnumerateArray(), i => Assert.NotEqual(JsonValueKind.Null, i.GetProperty("read_at").ValueKind));
    }

    [Fact]
    public async Task MarkReadOnAFilteredPageMarksOnlyThatPage()
    {
        var (client, org) = await OrgAsync("Inbox mark_read scope",
            Activity("call 1", ["u1"], minute: 1), Activity("call 2", ["u1"], minute: 2), Activity("meeting", ["u1"], "meeting", minute: 3));
        Assert.Equal(["call 2"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?type=call&take=1&mark_read=true")));
        Assert.Equal(["meeting", "call 1"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?status=unread")));
    }

    [Fact]
    public async Task StatusPicksATab()
    {
        var (client, org) = await OrgAsync("Inbox tabs", Enumerable.Range(1, 4).Select(i => Activity($"n{i}", ["u1"], minute: i)).ToArray());
        var ids = (await GetAsync(client, $"/orgs/{org}/users/u1/inbox")).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("title").GetString()!, i => i.GetProperty("id").GetString()!);
        await PostAsync(client, $"/orgs/{org}/users/u1/inbox/read", new { ids = new[] { ids["n1"] } }, 1);
        await PostAsync(client, $"/orgs/{org}/users/u1/inbox/seen", new { ids = new[] { ids["n2"] } }, 1);
        await PostAsync(client, $"/orgs/{org}/users/u1/inbox/archive", new { ids = new[] { ids["n3"] } }, 1);

        Assert.Equal(["n4", "n2", "n1"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox")));
        Assert.Equal(["n4", "n2", "n1"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?status=all")));
        Assert.Equal(["n4", "n2"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?status=unread")));
        Assert.Equal(["n1"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?status=read")));
        Assert.Equal(["n4"], Titles(await GetAsync(client, $"/orgs/{org}/users/u1/inbox?status=unseen")));
        var archived = await GetAsync(client, $"/orgs/{org}/users/u1/inbox?status=archived");
        Assert.Equal(["n3"], Titles(archived));
        Assert.NotEqual(JsonValueKind.Null, archived.GetProperty("items")[0].GetProperty("archived_at").ValueKind);
    }

    [Theory]
    [InlineData("status=new", "status")]
    [InlineData("status=unread&status=read", "status")]
    [InlineData("mark_read=yes", "mark_read")]
    [InlineData("type=Bad Type", "type")]
    [InlineData("take=0", "take")]
    [InlineData("bogus=1", "bogus")]
    [InlineData("next=abc", "next")]
    public async Task ABadInboxQueryIsAProblemNamingTheParameter(string query, string parameter)
    {
        var response = await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/users/u1/inbox?{query}", Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task MeNeedsAUserTokenAndAnotherOrgsInboxIsNotFound()
    {
        var me = await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/users/me/inbox", Cancel);
        Assert.True((await me.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("user_id", out _));
        var other = await api.CreateOrgAsync("Inbox other org");
        await (await api.AdminClient().GetAsync($"/orgs/{other.OrgId}/users/u1/inbox", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.ClientWithKey(null).GetAsync($"/orgs/{api.OrgId}/users/u1/inbox", Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AReadOnlyKeyListsButCannotChangeState()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("activities:read"));
        await GetAsync(reader, $"/orgs/{api.OrgId}/users/u1/inbox");
        await GetAsync(reader, $"/orgs/{api.OrgId}/users/u1/inbox/counts");
        await (await reader.GetAsync($"/orgs/{api.OrgId}/users/u1/inbox?mark_read=true", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.PostAsJsonAsync($"/orgs/{api.OrgId}/users/u1/inbox/read", new { all = true }, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var writer = api.ClientWithKey(await api.CreateKeyAsync("activities:write"));
        await (await writer.GetAsync($"/orgs/{api.OrgId}/users/u1/inbox", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task PostAsync(HttpClient client, string url, object body, int expectedUpdated)
    {
        var result = await (await client.PostAsJsonAsync(url, body, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expectedUpdated, result.GetProperty("updated").GetInt32());
    }
}
