using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class DirectoryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Path(string collection, string id = "") => $"/orgs/{api.OrgId}/{collection}" + (id.Length > 0 ? $"/{id}" : "");

    public static TheoryData<string, string, string, string> Collections => new()
    {
        // collection, first body, second body, a field the second body changes
        { "users", """{"name":"Jane","email":"jane@example.com","avatar":"https://img.example/j.png","seen_at":"2026-01-02T03:04:05.123456Z"}""", """{"name":"Jane Doe"}""", "name" },
        { "assistants", """{"name":"Ava","avatar_url":"https://img.example/a.png"}""", """{"name":"Ava 2"}""", "name" },
        { "contacts", """{"name":"Sam","email":"sam@example.com"}""", """{"name":"Samuel"}""", "name" },
        { "segments", """{"name":"Hot","color":"red","contacts_count":12,"boards":[{"board_id":"bd1","board_name":"Sales","column_id":"col1"}]}""", """{"name":"Warm","color":"orange"}""", "color" },
        { "broadcasts", """{"name":"Launch"}""", """{"name":"Relaunch"}""", "name" },
        { "tables", """{"name":"Deals"}""", """{"name":"Opportunities"}""", "name" },
        { "records", """{"table_id":"t_deals","name":"Acme deal"}""", """{"table_id":"t_deals","name":"Acme renewal"}""", "name" },
    };

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task EveryDirectoryVerbWorksOnEveryCollection(string collection, string first, string second, string changed)
    {
        var client = api.AdminClient();
        var id = $"{collection[..2]}_1";
        var created = await client.PutAsync(Path(collection, id), HttpAssertions.Json(first), Cancel);
        var body = await created.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Path(collection, id), created.Headers.Location?.ToString());
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Matches(@"\.\d{6}Z$", body.GetProperty("created_at").GetString());

        var replaced = await (await client.PutAsync(Path(collection, id), HttpAssertions.Json(second), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(body.GetProperty(changed).GetRawText(), replaced.GetProperty(changed).GetRawText());
        Assert.Equal(body.GetProperty("created_at").GetString(), replaced.GetProperty("created_at").GetString());

        var fetched = await (await client.GetAsync(Path(collection, id), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(replaced.GetRawText(), fetched.GetRawText());

        await (await client.PutAsync(Path(collection, $"{collection[..2]}_2"), HttpAssertions.Json(first), Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var page = await (await client.GetAsync($"{Path(collection)}?take=1&include_total=true", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, page.GetProperty("total_count").GetInt64());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        var rest = await (await client.GetAsync($"{Path(collection)}?next={Uri.EscapeDataString(page.GetProperty("next").GetString()!)}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"{collection[..2]}_2", rest.GetProperty("items")[0].GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Path(collection, id), Cancel)).StatusCode);
        await (await client.GetAsync(Path(collection, id), Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync(Path(collection, id), Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("users", "has space", """{"name":"x"}""", "id")]
    [InlineData("users", "u1", """{"email":"not-an-email"}""", "email")]
    [InlineData("users", "u1", """{"avatar":"javascript:alert(1)"}""", "avatar")]
    [InlineData("users", "u1", """{"nickname":"x"}""", "nickname")]
    [InlineData("segments", "s1", """{"contacts_count":-1}""", "contacts_count")]
    [InlineData("segments", "s1", """{"boards":[{"board_name":"no id"}]}""", "boards[0].board_id")]
    [InlineData("records", "r1", """{"table_id":"bad id"}""", "table_id")]
    public async Task InvalidDirectoryWritesAre400NamingTheField(string collection, string id, string body, string field)
    {
        var problem = await (await api.AdminClient().PutAsync(Path(collection, Uri.EscapeDataString(id)), HttpAssertions.Json(body), Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task FeedsShowTheDirectorysCurrentValuesAfterARename()
    {
        var org = await api.CreateOrgAsync("Rename");
        var client = api.ClientWithKey(org.ApiKey);
        await (await client.PutAsJsonAsync($"/orgs/{org.OrgId}/users/u_1", new { name = "Jane", email = "jane@example.com" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        await (await client.PutAsJsonAsync($"/orgs/{org.OrgId}/segments/s_1", new { name = "Hot", color = "red", boards = new[] { new { board_id = "b1", board_name = "Sales", column_id = "c1" } } }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var created = await client.CreateActivityAsync(org.OrgId, new { type = "segment_added", actor_id = "u_1", segment_id = "s_1", note = new { content = "n", user_id = "u_1" } });
        Assert.Equal("Jane", created.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal("red", created.GetProperty("segment").GetProperty("color").GetString());
        Assert.Equal("Sales", created.GetProperty("segment").GetProperty("boards")[0].GetProperty("board_name").GetString());

        await (await client.PutAsJsonAsync($"/orgs/{org.OrgId}/users/u_1", new { name = "Jane Doe", email = "jane@example.com" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var feed = await (await client.GetAsync($"/orgs/{org.OrgId}/activities", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var item = feed.GetProperty("items")[0];
        Assert.Equal("Jane Doe", item.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal("jane@example.com", item.GetProperty("actor").GetProperty("email").GetString());
        Assert.Equal("Jane Doe", item.GetProperty("note").GetProperty("user").GetProperty("name").GetString());
        var one = await (await client.GetAsync($"/orgs/{org.OrgId}/activities/{created.GetProperty("id").GetString()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Jane Doe", one.GetProperty("actor").GetProperty("name").GetString());
    }

    [Fact]
    public async Task AnIdTheDirectoryDoesNotKnowComesBackWithOnlyItsId()
    {
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call", actor_id = "ghost", assistant_id = "ghost_a", broadcast_id = "ghost_b" });
        Assert.Equal("""{"id":"ghost"}""", created.GetProperty("actor").GetRawText());
        Assert.Equal("""{"id":"ghost_a"}""", created.GetProperty("assistant").GetRawText());
        Assert.Equal("""{"id":"ghost_b"}""", created.GetProperty("broadcast").GetRawText());
    }

    [Fact]
    public async Task DeletingAUserKeepsTheirActivitiesWhichThenShowOnlyTheId()
    {
        var org = await api.CreateOrgAsync("Delete user");
        var client = api.ClientWithKey(org.ApiKey);
        await (await client.PutAsJsonAsync($"/orgs/{org.OrgId}/users/u_gone", new { name = "Leaver" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var created = await client.CreateActivityAsync(org.OrgId, new { type = "call", actor_id = "u_gone" });
        Assert.Equal("Leaver", created.GetProperty("actor").GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/orgs/{org.OrgId}/users/u_gone", Cancel)).StatusCode);
        var fetched = await (await client.GetAsync($"/orgs/{org.OrgId}/activities/{created.GetProperty("id").GetString()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("""{"id":"u_gone"}""", fetched.GetProperty("actor").GetRawText());
    }

    [Fact]
    public async Task ObjectsOnWriteUpsertTheDirectoryInTheSameTransaction()
    {
        var org = await api.CreateOrgAsync("Objects on write");
        var client = api.ClientWithKey(org.ApiKey);
        var created = await client.CreateActivityAsync(org.OrgId, new
        {
            type = "segment_added",
            actor = new { id = "u_9", name = "Nina", email = "nina@example.com" },
            assistant = new { id = "as_9", name = "Bot" },
            segment = new { id = "s_9", name = "VIP", color = "gold", contacts_count = 3 },
            broadcast = new { id = "b_9", name = "Spring" },
            note = new { content = "hi", user = new { id = "u_10", name = "Ola" } },
        });
        Assert.Equal("Nina", created.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal("gold", created.GetProperty("segment").GetProperty("color").GetString());
        Assert.Equal("Ola", created.GetProperty("note").GetProperty("user").GetProperty("name").GetString());
        var user = await (await client.GetAsync($"/orgs/{org.OrgId}/users/u_9", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("nina@example.com", user.GetProperty("email").GetString());
        await (await client.GetAsync($"/orgs/{org.OrgId}/assistants/as_9", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/orgs/{org.OrgId}/broadcasts/b_9", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/orgs/{org.OrgId}/users/u_10", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        // An object that leaves fields out keeps what the directory has.
        await client.CreateActivityAsync(org.OrgId, new { type = "call", actor = new { id = "u_9", name = "Nina K." } });
        user = await (await client.GetAsync($"/orgs/{org.OrgId}/users/u_9", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Nina K.", user.GetProperty("name").GetString());
        Assert.Equal("nina@example.com", user.GetProperty("email").GetString());

        // A failed write upserts nothing.
        var failed = await client.PostBatchAsync(org.OrgId, new { activities = new object[] { new { type = "call", actor = new { id = "u_new", name = "Never" } }, new { type = "no_such_type" } } });
        await failed.AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/orgs/{org.OrgId}/users/u_new", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnObjectOnWriteThatChangesNothingLeavesTheEntryAsItIs()
    {
        var org = await api.CreateOrgAsync("Unchanged objects on write");
        var client = api.ClientWithKey(org.ApiKey);
        var segment = new { id = "s_1", name = "VIP", color = "gold", boards = new[] { new { board_id = "bd1", board_name = "Sales", column_id = "c1" } } };
        await client.CreateActivityAsync(org.OrgId, new { type = "segment_added", actor = new { id = "u_1", name = "Nina" }, segment });
        var first = await (await client.GetAsync($"/orgs/{org.OrgId}/segments/s_1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var firstUser = await (await client.GetAsync($"/orgs/{org.OrgId}/users/u_1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        // The same values again (or fewer of them): nothing to write, updated_at stays.
        var again = await client.CreateActivityAsync(org.OrgId, new { type = "segment_added", actor = new { id = "u_1" }, segment });
        Assert.Equal("Nina", again.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal(first.GetProperty("updated_at").GetString(), again.GetProperty("segment").GetProperty("updated_at").GetString());
        var same = await (await client.GetAsync($"/orgs/{org.OrgId}/segments/s_1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.GetRawText(), same.GetRawText());
        var sameUser = await (await client.GetAsync($"/orgs/{org.OrgId}/users/u_1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(firstUser.GetRawText(), sameUser.GetRawText());

        // A changed value is written, and shows in the write's own answer.
        var changed = await client.CreateActivityAsync(org.OrgId, new { type = "segment_added", segment = segment with { color = "red" } });
        Assert.Equal("red", changed.GetProperty("segment").GetProperty("color").GetString());
        Assert.Equal("Sales", changed.GetProperty("segment").GetProperty("boards")[0].GetProperty("board_name").GetString());
        var updated = await (await client.GetAsync($"/orgs/{org.OrgId}/segments/s_1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("red", updated.GetProperty("color").GetString());
        Assert.True(string.CompareOrdinal(updated.GetProperty("updated_at").GetString(), first.GetProperty("updated_at").GetString()) > 0);
    }

    [Theory]
    [InlineData("""{"type":"call","actor_id":"u1","actor":{"id":"u2"}}""", "actor.id")]
    [InlineData("""{"type":"call","actor":{"name":"no id"}}""", "actor.id")]
    [InlineData("""{"type":"call","actor":{"id":"u1","email":"nope"}}""", "actor.email")]
    [InlineData("""{"type":"call","segment":{"id":"s1","boards":[{}]}}""", "segment.boards[0].board_id")]
    [InlineData("""{"type":"call","note":{"user_id":"u1","user":{"id":"u2"}}}""", "note.user.id")]
    public async Task InvalidEmbeddedObjectsAre400(string body, string field)
    {
        var problem = await (await api.AdminClient().PostActivityAsync(api.OrgId, body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task APageCostsTheSameNumberOfQueriesWhateverItsSizeAndHowManyActorsItHas()
    {
        var org = await api.CreateOrgAsync("Query count");
        var client = api.ClientWithKey(org.ApiKey);
        var activities = Enumerable.Range(0, 100).Select(i => new
        {
            type = "call",
            actor = new { id = $"u_{i}", name = $"User {i}" },
            assistant = new { id = $"as_{i}", name = $"Assistant {i}" },
            segment = new { id = $"s_{i}", name = $"Segment {i}" },
            broadcast = new { id = $"b_{i}", name = $"Broadcast {i}" },
            note = new { content = "n", user_id = $"u_{99 - i}" },
        });
        await (await client.PostBatchAsync(org.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
        await client.GetAsync($"/orgs/{org.OrgId}/activities?take=1", Cancel); // warm-up: compiles queries, stamps the key's last use

        async Task<(int Queries, JsonElement Page)> CountAsync(int take)
        {
            var before = api.Commands.Count;
            var page = await (await client.GetAsync($"/orgs/{org.OrgId}/activities?take={take}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            return (api.Commands.Count - before, page);
        }

        var (hundred, page) = await CountAsync(100);
        var (ten, _) = await CountAsync(10);
        Assert.Equal(100, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), item =>
        {
            Assert.StartsWith("User ", item.GetProperty("actor").GetProperty("name").GetString());
            Assert.StartsWith("Segment ", item.GetProperty("segment").GetProperty("name").GetString());
            Assert.StartsWith("User ", item.GetProperty("note").GetProperty("user").GetProperty("name").GetString());
        });
        Assert.Equal(ten, hundred);
        // The page is one statement sent straight through Npgsql (FeedSql: actors, assistants, segments,
        // broadcasts and the notes' users joined in), so EF runs nothing for it (the key was looked up
        // by the warm-up and is cached); FeedSqlEquivalenceTests and FeedIndexTests cover that statement.
        Assert.Equal(0, hundred);
    }

    [Fact]
    public async Task DirectoryWritesNeedTheWriteScopeAndReadsTheReadScope()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("activities:read"));
        await (await reader.PutAsJsonAsync(Path("users", "u_x"), new { name = "x" }, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.GetAsync(Path("users"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var writer = api.ClientWithKey(await api.CreateKeyAsync("activities:write"));
        await (await writer.GetAsync(Path("users"), Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
