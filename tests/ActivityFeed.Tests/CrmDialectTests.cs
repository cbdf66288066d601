using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>The CRM seed's activities: company scope over the org, user scope over the token user's inbox.</summary>
public sealed class CrmDialectTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Company = "/api/company/crm/v202506/activities";
    private const string User = "/api/user/crm/v202506/activities";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The seed's JSON structure, as its clients would send it (numeric ids).</summary>
    private const string SeedBody = """
        { "user_id": 67890, "contact_id": 22222, "visitor_id": null, "relation_type": "product", "relation_id": 33333,
          "title": "New order placed", "description": "Jane Smith placed an order for $150.00",
          "formatted_description": "<strong>Jane Smith</strong> placed an order for $150.00", "slug": "order_placed" }
        """;

    private static readonly string[] ItemMembers =
        ["id", "user_id", "company_id", "contact_id", "visitor_id", "customer_id", "relation_type", "relation_id", "title", "description", "formatted_description", "slug", "read_at", "created_at"];

    /// <summary>An org of its own with the seed's slug registered, its admin client and a user token for 67890.</summary>
    private async Task<(HttpClient Company, HttpClient User, string OrgId)> OrgAsync(string name)
    {
        var (client, org) = await api.SeededOrgAsync(name);
        foreach (var slug in new[] { "order_placed", "task_assigned" })
        {
            (await client.PutAsJsonAsync($"/orgs/{org}/activity-types/{slug}", new { description = slug, metadata_schema = new { type = "object" } }, Cancel)).EnsureSuccessStatusCode();
        }

        return (client, api.ClientWithKey(await client.MintUserTokenAsync(org, "67890")), org);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient company, string json) =>
        await (await company.PostAsync(Company, HttpAssertions.Json(json), Cancel)).ReadJsonAsync(HttpStatusCode.Created);

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = HttpAssertions.Json(json) }, Cancel);

    private static List<string?> Titles(JsonElement list) => list.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();

    [Fact]
    public async Task ACreateFromTheSeedsJsonComesBackInTheSeedsStructure()
    {
        var (company, _, org) = await OrgAsync("CRM structure");
        var response = await company.PostAsync(Company, HttpAssertions.Json(SeedBody), Cancel);
        var item = await response.ReadJsonAsync(HttpStatusCode.Created);
        item.AssertMembers(ItemMembers);
        Assert.Equal($"{Company}/{item.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal(67890, item.GetProperty("user_id").GetInt64());
        Assert.Equal(22222, item.GetProperty("contact_id").GetInt64());
        Assert.Equal(33333, item.GetProperty("relation_id").GetInt64());
        Assert.Equal(org, item.GetProperty("company_id").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("visitor_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("customer_id").ValueKind);
        Assert.Equal("product", item.GetProperty("relation_type").GetString());
        Assert.Equal("order_placed", item.GetProperty("slug").GetString());
        Assert.Equal("<strong>Jane Smith</strong> placed an order for $150.00", item.GetProperty("formatted_description").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("read_at").ValueKind);
        item.GetProperty("created_at").AssertTimestamp();

        var listed = Assert.Single((await company.GetJsonAsync(Company)).GetProperty("data").EnumerateArray());
        Assert.Equal(item.ToString(), listed.ToString());
        Assert.Equal(item.ToString(), (await company.GetJsonAsync($"{Company}/{item.GetProperty("id").GetString()}")).ToString());
    }

    [Fact]
    public async Task ACompanyCreateWithUserIdNotifiesThatUser()
    {
        var (company, user, org) = await OrgAsync("CRM notify");
        await using var stream = await SseClient.OpenAsync(user, "/orgs/" + org + "/users/me/inbox/stream");
        Assert.Equal("counts", (await stream.NextAsync()).Event);
        var id = (await CreateAsync(company, SeedBody)).GetProperty("id").GetString();
        var pushed = await stream.NextOfAsync("activity");
        Assert.Equal(id, pushed.Json.GetProperty("id").GetString());
        Assert.Equal(1, (await stream.NextOfAsync("counts")).Json.GetProperty("unread").GetInt64());
        var inbox = await company.GetJsonAsync($"/orgs/{org}/users/67890/inbox");
        Assert.Equal(id, Assert.Single(inbox.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1, (await company.GetJsonAsync($"/orgs/{org}/users/67890/inbox/counts")).GetProperty("unread").GetInt64());
        var feed = await company.GetJsonAsync($"/orgs/{org}/activities");
        Assert.Equal(["67890"], feed.GetProperty("items")[0].GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task TheUserListIsTheInboxAndMarksWhatItListsReadShowingTheStateBefore()
    {
        var (company, user, org) = await OrgAsync("CRM visit marks read");
        await CreateAsync(company, SeedBody);
        await CreateAsync(company, """{"slug": "order_placed", "title": "not mine", "user_id": "someone_else"}""");
        var first = Assert.Single((await user.GetJsonAsync(User)).GetProperty("data").EnumerateArray());
        first.AssertMembers(ItemMembers);
        Assert.Equal(67890, first.GetProperty("user_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("read_at").ValueKind);
        var second = Assert.Single((await user.GetJsonAsync(User)).GetProperty("data").EnumerateArray());
        second.GetProperty("read_at").AssertTimestamp();
        Assert.Equal(0, (await company.GetJsonAsync($"/orgs/{org}/users/67890/inbox/counts")).GetProperty("unread").GetInt64());
        // The company scope shows the first recipient's state.
        var companyItem = (await company.GetJsonAsync(Company)).GetProperty("data").EnumerateArray().Single(i => i.GetProperty("title").GetString() == "New order placed");
        Assert.Equal(second.GetProperty("read_at").GetString(), companyItem.GetProperty("read_at").GetString());
    }

    [Fact]
    public async Task PatchingReadAtMarksUnreadOrReadAtThatTime()
    {
        var (company, user, _) = await OrgAsync("CRM read_at");
        var id = (await CreateAsync(company, SeedBody)).GetProperty("id").GetString();
        var read = await (await PatchAsync(user, $"{User}/{id}", """{"read_at": "2026-02-03T04:05:06.123456Z"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2026-02-03T04:05:06.123456Z", read.GetProperty("read_at").GetString());
        Assert.Equal("2026-02-03T04:05:06.123456Z", (await user.GetJsonAsync($"{User}/{id}")).GetProperty("read_at").GetString());
        var unread = await (await PatchAsync(user, $"{User}/{id}", """{"read_at": null}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, unread.GetProperty("read_at").ValueKind);
        await (await PatchAsync(user, $"{User}/{id}", """{"read_at": "soon"}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await PatchAsync(user, $"{User}/{id}", """{"title": "mine now"}""")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await PatchAsync(user, $"{User}/act_missing", """{"read_at": null}""")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ACompanyPatchChangesTheTextAndRefusesReadAt()
    {
        var (company, _, _) = await OrgAsync("CRM company patch");
        var id = (await CreateAsync(company, SeedBody)).GetProperty("id").GetString();
        var patched = await (await PatchAsync(company, $"{Company}/{id}", """{"title": "Order shipped", "formatted_description": "<em>shipped</em><script>x()</script>"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Order shipped", patched.GetProperty("title").GetString());
        Assert.Equal("<em>shipped</em>", patched.GetProperty("formatted_description").GetString());
        Assert.Equal("Jane Smith placed an order for $150.00", patched.GetProperty("description").GetString());
        var problem = await (await PatchAsync(company, $"{Company}/{id}", """{"read_at": null}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("read_at", out _));
        await (await PatchAsync(company, $"{Company}/{id}", """{"slug": "other"}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await PatchAsync(company, $"{Company}/act_missing", """{"title": "x"}""")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AUserDeleteArchivesForThatUserOnlyAndACompanyDeleteDeletes()
    {
        var (company, user, org) = await OrgAsync("CRM delete");
        var shared = await company.CreateActivityAsync(org, new { type = "order_placed", title = "shared", recipients = new[] { "67890", "u2" } });
        var id = shared.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"{User}/{id}", Cancel)).StatusCode);
        Assert.Empty((await user.GetJsonAsync(User)).GetProperty("data").EnumerateArray());
        await (await user.GetAsync($"{User}/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.DeleteAsync($"{User}/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        var other = api.ClientWithKey(await company.MintUserTokenAsync(org, "u2"));
        Assert.Equal(["shared"], Titles(await other.GetJsonAsync(User)));
        Assert.Equal(["shared"], Titles(await company.GetJsonAsync(Company)));

        Assert.Equal(HttpStatusCode.NoContent, (await company.DeleteAsync($"{Company}/{id}", Cancel)).StatusCode);
        await (await company.GetAsync($"{Company}/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await other.GetJsonAsync(User)).GetProperty("data").EnumerateArray());
        await (await company.DeleteAsync($"{Company}/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EachScopeTakesItsOwnKindOfToken()
    {
        var (company, user, _) = await OrgAsync("CRM scopes");
        await (await user.GetAsync(Company, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await user.PostAsync(Company, HttpAssertions.Json(SeedBody), Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await company.GetAsync(User, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await company.DeleteAsync($"{User}/act_x", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var readOnly = api.ClientWithKey(await api.CreateKeyAsync("activities:read"));
        await (await readOnly.PostAsync(Company, HttpAssertions.Json(SeedBody), Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.ClientWithKey(null).GetAsync(Company, Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty((await company.GetJsonAsync(Company)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task EveryListParameterFiltersNewestCreatedFirstInBothScopes()
    {
        var (company, user, _) = await OrgAsync("CRM filters");
        foreach (var body in new[]
                 {
                     """{"slug": "order_placed", "title": "A", "user_id": 67890, "contact_id": "c1", "relation_type": "product", "relation_id": "p1"}""",
                     """{"slug": "task_assigned", "title": "B", "user_id": 67890, "visitor_id": "v1", "relation_type": "task", "relation_id": "t1"}""",
                     """{"slug": "order_placed", "title": "C", "user_id": 67890, "customer_id": "k1", "relation_type": "product", "relation_id": "p2"}""",
                 })
        {
            await CreateAsync(company, body);
        }

        var cases = new Dictionary<string, string[]>
        {
            [""] = ["C", "B", "A"],
            ["contact_id=c1"] = ["A"],
            ["visitor_id=v1"] = ["B"],
            ["customer_id=k1"] = ["C"],
            ["relation_type=product"] = ["C", "A"],
            ["relation_type=product&relation_id=p2"] = ["C"],
            ["slug=task_assigned"] = ["B"],
            ["slug=order_placed&unknown=1"] = ["C", "A"],
        };
        foreach (var (query, expected) in cases)
        {
            Assert.True(expected.SequenceEqual(Titles(await company.GetJsonAsync($"{Company}?{query}"))), "company " + query);
            Assert.True(expected.SequenceEqual(Titles(await user.GetJsonAsync($"{User}?{query}"))), "user " + query);
        }
    }

    [Fact]
    public async Task PagingMetaIsRightOnTheFirstAMiddleAndTheLastPage()
    {
        var (company, user, _) = await OrgAsync("CRM paging");
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync(company, $$"""{"slug": "order_placed", "title": "{{i}}", "user_id": 67890}""");
        }

        foreach (var client in new[] { company, user })
        {
            var path = client == company ? Company : User;
            var expected = new[] { (1, new[] { "5", "4" }, true), (2, ["3", "2"], true), (3, ["1"], false) };
            foreach (var (page, titles, hasMore) in expected)
            {
                var body = await client.GetJsonAsync($"{path}?per_page=2&page={page}");
                body.AssertMembers("data", "meta");
                body.GetProperty("meta").AssertMembers("page", "per_page", "has_more");
                Assert.Equal(titles, Titles(body));
                Assert.Equal((page, 2, hasMore), (body.GetProperty("meta").GetProperty("page").GetInt32(), body.GetProperty("meta").GetProperty("per_page").GetInt32(), body.GetProperty("meta").GetProperty("has_more").GetBoolean()));
            }
        }
    }

    [Theory]
    [InlineData("per_page=0", "per_page")]
    [InlineData("per_page=101", "per_page")]
    [InlineData("page=0", "page")]
    [InlineData("contact_id=a%20b", "contact_id")]
    [InlineData("relation_id=p1", "relation_id")]
    [InlineData("slug=Not-A-Slug", "slug")]
    public async Task ABadValueOfAKnownParameterIsAProblemNamingIt(string query, string parameter)
    {
        var (company, user, _) = await OrgAsync($"CRM bad {parameter} {query.Length}");
        await company.AssertBadParameterAsync($"{Company}?{query}", parameter);
        await user.AssertBadParameterAsync($"{User}?{query}", parameter);
    }

    [Theory]
    [InlineData("""{"title": "no slug"}""", "slug")]
    [InlineData("""{"slug": "never_registered"}""", "slug")]
    [InlineData("""{"slug": "order_placed", "user_id": 1.5}""", "user_id")]
    [InlineData("""{"slug": "order_placed", "user_id": "a b"}""", "user_id")]
    [InlineData("""{"slug": "order_placed", "relation_type": "product"}""", "relation_id")]
    public async Task AnInvalidCreateIsAProblemNamingTheSeedsField(string body, string field)
    {
        var (company, _, _) = await OrgAsync($"CRM invalid {field} {body.Length}");
        var problem = await (await company.PostAsync(Company, HttpAssertions.Json(body), Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task AnUnknownFieldInACreateIsRejected()
    {
        var (company, _, _) = await OrgAsync("CRM unknown field");
        await (await company.PostAsync(Company, HttpAssertions.Json("""{"slug": "order_placed", "colour": "red"}"""), Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// The create reads its item back after the commit; a concurrent delete or erasure that lands in
    /// between (found by the generated bad input) is a conflict that says what happened, not a 500.
    /// A trigger deferred to the commit stands in for the other request, so the race is certain.
    /// </summary>
    [Fact]
    public async Task ACreateWhoseActivityIsDeletedBeforeItIsReadBackIsAConflictThatSaysSo()
    {
        var (company, _, org) = await OrgAsync("CRM vanishing create");
        var trigger = "crm_vanish_" + org.Replace('-', '_');
        await OwnerSqlAsync($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN DELETE FROM activities WHERE org_id = NEW.org_id AND id = NEW.id; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER {trigger} AFTER INSERT ON activities DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN (NEW.org_id = '{org}') EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            var response = await company.PostAsync(Company, HttpAssertions.Json("""{"slug": "order_placed", "title": "vanishes"}"""), Cancel);
            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("deleted by another request", problem.GetProperty("detail").GetString());
        }
        finally
        {
            await OwnerSqlAsync($"DROP TRIGGER {trigger} ON activities; DROP FUNCTION {trigger}();");
        }

        var list = await (await company.GetAsync(Company, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(Titles(list));
    }

    private async Task OwnerSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
