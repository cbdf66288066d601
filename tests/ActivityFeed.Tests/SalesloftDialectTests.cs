using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>Salesloft's GET /v2/activity_histories: its item and envelope, every parameter, offset paging, the org from the token.</summary>
public sealed class SalesloftDialectTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/v2/activity_histories";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Activity(string title, string type = "call", int minute = 0, string? contact = null, object? relation = null,
        string? actor = null, bool pinned = false, string[]? tags = null) =>
        new { type, title, occurred_at = $"2026-01-01T00:{minute:00}:00Z", contact_id = contact, relation, actor_id = actor, pinned, tags = tags ?? [], metadata = new { title } };

    private static List<string?> Titles(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("dynamic_data").GetProperty("title").GetString()).ToList();

    [Fact]
    public async Task TheSourceDocumentsItemComesBackWithExactlyItsMembersAndTypes()
    {
        var (client, _) = await api.SeededOrgAsync("Salesloft item", new
        {
            type = "sent_email",
            occurred_at = "2019-01-01T00:00:00Z",
            contact_id = "1",
            actor_id = "51398ccd-309e-467f-aae2-4b0f66b5c11d",
            tags = new[] { "primary" },
            pinned = true,
            metadata = new { static_data = new { email_id = 2 }, subject = "Welcome to SalesLoft", status = "sent", counts = new { views = 3, replies = 1, clicks = 2 } },
        });

        var page = await client.GetJsonAsync(Path);
        page.AssertMembers("metadata", "data");
        page.GetProperty("metadata").AssertMembers("filtering", "paging", "sorting");
        page.GetProperty("metadata").GetProperty("paging").AssertMembers("per_page", "current_page", "next_page", "prev_page", "total_pages", "total_count");
        page.GetProperty("metadata").GetProperty("sorting").AssertMembers("sort_by", "sort_direction");
        var item = Assert.Single(page.GetProperty("data").EnumerateArray());
        item.AssertMembers("user_guid", "updated_at", "type", "tags", "static_data", "resource_type", "resource_id", "pinned_at",
            "occurred_at", "id", "failed_dynamic_resources", "dynamic_data", "created_at");
        Assert.Equal("51398ccd-309e-467f-aae2-4b0f66b5c11d", item.GetProperty("user_guid").GetString());
        Assert.Equal("sent_email", item.GetProperty("type").GetString());
        Assert.Matches("^sent_email-act_", item.GetProperty("id").GetString());
        Assert.Equal(["primary"], item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, item.GetProperty("static_data").GetProperty("email_id").GetInt32());
        Assert.Equal("person", item.GetProperty("resource_type").GetString());
        Assert.Equal(JsonValueKind.Number, item.GetProperty("resource_id").ValueKind);
        Assert.Equal(1, item.GetProperty("resource_id").GetInt64());
        Assert.Equal("2019-01-01T00:00:00.000000Z", item.GetProperty("occurred_at").GetString());
        foreach (var stamp in new[] { "pinned_at", "updated_at", "created_at" })
        {
            item.GetProperty(stamp).AssertTimestamp();
        }

        var dynamic = item.GetProperty("dynamic_data");
        dynamic.AssertMembers("subject", "status", "counts");
        Assert.Equal("Welcome to SalesLoft", dynamic.GetProperty("subject").GetString());
        Assert.Equal(3, dynamic.GetProperty("counts").GetProperty("views").GetInt32());
        Assert.Equal(JsonValueKind.Array, item.GetProperty("failed_dynamic_resources").ValueKind);
        Assert.Equal("occurred_at", page.GetProperty("metadata").GetProperty("sorting").GetProperty("sort_by").GetString());
        Assert.Equal("DESC", page.GetProperty("metadata").GetProperty("sorting").GetProperty("sort_direction").GetString());
    }

    [Fact]
    public async Task AnActivityWithoutContactIsAttributedToItsAccountOrOpportunityRelationElseToNothing()
    {
        var (client, _) = await api.SeededOrgAsync("Salesloft resources",
            Activity("account", minute: 3, relation: new { type = "account", id = "42" }),
            Activity("opportunity", minute: 2, relation: new { type = "crm_opportunity", id = "77" }),
            Activity("product", minute: 1, relation: new { type = "product", id = "9" }));
        var data = (await client.GetJsonAsync(Path)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal("account", data[0].GetProperty("resource_type").GetString());
        Assert.Equal(42, data[0].GetProperty("resource_id").GetInt64());
        Assert.Equal("crm_opportunity", data[1].GetProperty("resource_type").GetString());
        Assert.Equal("77", data[1].GetProperty("resource_id").GetString()); // a string for opportunities, as Salesloft says
        Assert.Equal(JsonValueKind.Null, data[2].GetProperty("resource_type").ValueKind);
        Assert.Equal(JsonValueKind.Null, data[2].GetProperty("resource_id").ValueKind);
        Assert.Empty(data[2].GetProperty("static_data").EnumerateObject());
    }

    [Fact]
    public async Task EveryQueryParameterFiltersOrSortsAsSalesloftDescribes()
    {
        var (client, org) = await api.SeededOrgAsync("Salesloft filters",
            new { type = "call", occurred_at = "2026-01-01T00:05:00Z", contact_id = "p1", actor_id = "u1", pinned = true, metadata = new { title = "A" } },
            new { type = "sent_email", occurred_at = "2026-01-01T00:04:00Z", contact_id = "p2", actor_id = "u2", metadata = new { title = "B" } },
            new { type = "note", occurred_at = "2026-01-01T00:03:00Z", relation = new { type = "account", id = "a1" }, actor_id = "u1", metadata = new { title = "C" } },
            new { type = "call", occurred_at = "2026-01-01T00:02:00Z", relation = new { type = "crm_opportunity", id = "o1" }, metadata = new { title = "D" } },
            new { type = "meeting", occurred_at = "2026-01-01T00:01:00Z", contact_id = "p1", relation = new { type = "account", id = "a1" }, metadata = new { title = "E" } });
        var all = await client.GetJsonAsync(Path);
        var idOfB = all.GetProperty("data")[1].GetProperty("id").GetString()!;
        var cases = new Dictionary<string, string[]>
        {
            [""] = ["A", "B", "C", "D", "E"],
            ["type=call"] = ["A", "D"],
            ["type[]=call&type[]=note"] = ["A", "C", "D"],
            ["type=call,sent_email"] = ["A", "B", "D"],
            ["type[person][]=call"] = ["A"],
            ["occurred_at[gt]=2026-01-01T00:04:00Z"] = ["A"],
            ["occurred_at[gte]=2026-01-01T00:04:00Z"] = ["A", "B"],
            ["occurred_at[lt]=2026-01-01T00:02:00Z"] = ["E"],
            ["occurred_at[lte]=2026-01-01T00:02:00.000000Z"] = ["D", "E"],
            ["updated_at[gt]=2100-01-01T00:00:00Z"] = [],
            ["updated_at[lte]=2100-01-01T00:00:00Z"] = ["A", "B", "C", "D", "E"],
            ["pinned=true"] = ["A"],
            ["pinned=false"] = ["B", "C", "D", "E"],
            ["resource_type=person"] = ["A", "B", "E"],
            ["resource_type=account"] = ["C"], // E has a contact, so its resource is the person
            ["resource_type=crm_opportunity"] = ["D"],
            ["resource_type[]=account&resource_type[]=crm_opportunity"] = ["C", "D"],
            ["resource_type=account,crm_opportunity"] = ["C", "D"],
            ["resource_type=person&resource_id=p1"] = ["A", "E"],
            ["resource_type=account&resource_id=a1"] = ["C"],
            ["resource_type=crm_opportunity&resource_id=o1"] = ["D"],
            [$"id={idOfB}"] = ["B"],
            [$"id={idOfB["sent_email-".Length..]}"] = ["B"],
            ["user_guid=u1"] = ["A", "C"],
            ["sort_direction=ASC"] = ["E", "D", "C", "B", "A"],
            ["sort_direction=asc"] = ["E", "D", "C", "B", "A"],
        };
        foreach (var (query, expected) in cases)
        {
            Assert.True(expected.SequenceEqual(Titles(await client.GetJsonAsync($"{Path}?{query}"))), query);
        }

        // updated_at sorts by the last change: patch D, and it comes first.
        var idOfD = all.GetProperty("data")[3].GetProperty("id").GetString()!["call-".Length..];
        (await client.PatchActivityAsync(org, idOfD, """{"title": "changed"}""")).EnsureSuccessStatusCode();
        Assert.Equal("D", Titles(await client.GetJsonAsync($"{Path}?sort_by=updated_at"))[0]);
        Assert.Equal("D", Titles(await client.GetJsonAsync($"{Path}?sort_by=updated_at&sort_direction=ASC"))[^1]);
        var sorting = (await client.GetJsonAsync($"{Path}?sort_by=updated_at&sort_direction=asc")).GetProperty("metadata").GetProperty("sorting");
        Assert.Equal("updated_at", sorting.GetProperty("sort_by").GetString());
        Assert.Equal("ASC", sorting.GetProperty("sort_direction").GetString());
    }

    [Fact]
    public async Task FilteringEchoesTheAppliedFilterParametersAsGiven()
    {
        var (client, _) = await api.SeededOrgAsync("Salesloft echo", Activity("A"));
        var filtering = (await client.GetJsonAsync($"{Path}?type[]=call&type[]=note&pinned=false&occurred_at[gte]=2020-01-01T00:00:00Z&per_page=5&unknown=1"))
            .GetProperty("metadata").GetProperty("filtering");
        filtering.AssertMembers("type[]", "pinned", "occurred_at[gte]");
        Assert.Equal(["call", "note"], filtering.GetProperty("type[]").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("false", filtering.GetProperty("pinned").GetString());
    }

    [Fact]
    public async Task PagingMetadataIsRightOnTheFirstAMiddleAndTheLastPage()
    {
        var (client, _) = await api.SeededOrgAsync("Salesloft paging", [.. Enumerable.Range(1, 5).Select(i => Activity($"{i}", minute: i))]);
        var first = (await client.GetJsonAsync($"{Path}?per_page=2")).GetProperty("metadata").GetProperty("paging");
        Assert.Equal((2, 1, 2), (first.GetProperty("per_page").GetInt32(), first.GetProperty("current_page").GetInt32(), first.GetProperty("next_page").GetInt32()));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("prev_page").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("total_count").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("total_pages").ValueKind);

        var middle = await client.GetJsonAsync($"{Path}?per_page=2&page=2&include_paging_counts=true");
        var paging = middle.GetProperty("metadata").GetProperty("paging");
        Assert.Equal((3, 1), (paging.GetProperty("next_page").GetInt32(), paging.GetProperty("prev_page").GetInt32()));
        Assert.Equal((5L, 3), (paging.GetProperty("total_count").GetInt64(), paging.GetProperty("total_pages").GetInt32()));
        Assert.Equal(2, middle.GetProperty("data").GetArrayLength());

        var last = await client.GetJsonAsync($"{Path}?per_page=2&page=3&include_paging_counts=true");
        paging = last.GetProperty("metadata").GetProperty("paging");
        Assert.Equal(JsonValueKind.Null, paging.GetProperty("next_page").ValueKind);
        Assert.Equal(2, paging.GetProperty("prev_page").GetInt32());
        Assert.Equal(1, last.GetProperty("data").GetArrayLength());
        Assert.Equal(25, (await client.GetJsonAsync(Path)).GetProperty("metadata").GetProperty("paging").GetProperty("per_page").GetInt32());
    }

    [Fact]
    public async Task AnUnknownQueryParameterIsIgnored()
    {
        var (client, _) = await api.SeededOrgAsync("Salesloft unknown", Activity("A"));
        Assert.Single((await client.GetJsonAsync($"{Path}?no_such_filter=1&take=abc")).GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("per_page=0", "per_page")]
    [InlineData("per_page=101", "per_page")]
    [InlineData("page=0", "page")]
    [InlineData("include_paging_counts=maybe", "include_paging_counts")]
    [InlineData("sort_by=created_at", "sort_by")]
    [InlineData("sort_direction=UP", "sort_direction")]
    [InlineData("type=Not-A-Type", "type")]
    [InlineData("type[deal][]=call", "type[deal][]")]
    [InlineData("occurred_at[gt]=yesterday", "occurred_at[gt]")]
    [InlineData("updated_at[lte]=2026-13-01T00:00:00Z", "updated_at[lte]")]
    [InlineData("pinned=maybe", "pinned")]
    [InlineData("resource_type=deal", "resource_type")]
    [InlineData("resource_id=1", "resource_id")]
    [InlineData("user_guid=a%20b", "user_guid")]
    public Task ABadValueOfAKnownParameterIsAProblemNamingIt(string query, string parameter) =>
        api.AdminClient().AssertBadParameterAsync($"{Path}?{query}", parameter);

    [Fact]
    public async Task TheOrgIsTheTokensAndATokenIsRequired()
    {
        var (client, _) = await api.SeededOrgAsync("Salesloft org A", Activity("mine"));
        await api.SeededOrgAsync("Salesloft org B", Activity("theirs"));
        Assert.Equal(["mine"], Titles(await client.GetJsonAsync(Path)));
        var anonymous = await api.ClientWithKey(null).GetAsync(Path, Cancel);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
    }
}
