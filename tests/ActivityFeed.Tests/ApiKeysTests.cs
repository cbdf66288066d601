using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class ApiKeysTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string KeysPath => $"/orgs/{api.OrgId}/api-keys";

    [Fact]
    public async Task CreatingAKeyReturnsTheSecretOnceWithLocation()
    {
        var response = await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "ingest", scopes = new[] { "activities:write" } }, Cancel);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);

        Assert.StartsWith("key_", created.GetProperty("id").GetString());
        Assert.Equal("ingest", created.GetProperty("name").GetString());
        Assert.Equal(["activities:write"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.StartsWith("afk.", created.GetProperty("key").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", created.GetProperty("created_at").GetString());
        Assert.Equal($"{KeysPath}/{created.GetProperty("id").GetString()}", response.Headers.Location?.ToString());

        var fetched = await (await api.AdminClient().GetAsync(response.Headers.Location, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(fetched.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task ListingNeverShowsSecretsAndKeepsRevokedKeys()
    {
        var created = await (await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "old", scopes = new[] { "admin" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync($"{KeysPath}/{id}", Cancel)).StatusCode);

        var list = await (await api.AdminClient().GetAsync($"{KeysPath}?take=100", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, item => Assert.False(item.TryGetProperty("key", out _)));
        var revoked = items.Single(i => i.GetProperty("id").GetString() == id);
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revoked_at").ValueKind);
        foreach (var member in new[] { "items", "next", "has_more", "take", "page", "total_count", "total_pages" })
        {
            Assert.True(list.TryGetProperty(member, out _), $"envelope lacks {member}");
        }
    }

    [Fact]
    public async Task ARevokedKeyIsRefusedAtOnceEvenRightAfterItWasUsed()
    {
        var created = await (await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "soon revoked", scopes = new[] { "activities:read" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var client = api.ClientWithKey(created.GetProperty("key").GetString());
        var feed = $"/orgs/{api.OrgId}/activities";
        await (await client.GetAsync(feed, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync($"{KeysPath}/{created.GetProperty("id").GetString()}", Cancel)).StatusCode);

        await (await client.GetAsync(feed, Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ListPagesWithNextAndCountsWhenAsked()
    {
        var orgKeys = await api.CreateOrgAsync("Paging org");
        var client = api.ClientWithKey(orgKeys.ApiKey);
        var path = $"/orgs/{orgKeys.OrgId}/api-keys";
        for (var i = 0; i < 4; i++)
        {
            await (await client.PostAsJsonAsync(path, new { name = $"k{i}", scopes = new[] { "activities:read" } }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        var first = await client.GetAsync($"{path}?take=2&include_total=true", Cancel);
        var page = await first.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, page.GetProperty("total_count").GetInt64());
        Assert.Equal(3, page.GetProperty("total_pages").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
        while (page.GetProperty("has_more").GetBoolean())
        {
            var next = page.GetProperty("next").GetString();
            page = await (await client.GetAsync($"{path}?take=2&next={Uri.EscapeDataString(next!)}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(JsonValueKind.Null, page.GetProperty("page").ValueKind);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
        }

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);

        var second = await (await client.GetAsync($"{path}?take=2&page=2", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(seen.Skip(2).Take(2), second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("take=0", "take")]
    [InlineData("take=101", "take")]
    [InlineData("take=abc", "take")]
    [InlineData("page=0", "page")]
    [InlineData("page=1&next=abc", "page")]
    [InlineData("next=bm90LWEtY3Vyc29y", "next")]
    [InlineData("include_total=maybe", "include_total")]
    [InlineData("colour=red", "colour")]
    public async Task BadListParameterIs400NamingIt(string query, string parameter)
    {
        var response = await api.AdminClient().GetAsync($"{KeysPath}?{query}", Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"name":"","scopes":["admin"]}""", "name")]
    [InlineData("""{"scopes":["admin"]}""", "name")]
    [InlineData("""{"name":"x","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"x","scopes":["root"]}""", "scopes[0]")]
    public async Task InvalidCreateRequestIs400NamingTheField(string body, string field)
    {
        var response = await api.AdminClient().PostAsync(KeysPath, HttpAssertions.Json(body), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task RevokingAnUnknownKeyIs404()
    {
        var response = await api.AdminClient().DeleteAsync($"{KeysPath}/key_missing", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GettingAnUnknownKeyIs404()
    {
        var response = await api.AdminClient().GetAsync($"{KeysPath}/key_missing", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RevokingTwiceKeepsTheFirstRevocationTime()
    {
        var created = await (await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "twice", scopes = new[] { "admin" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var path = $"{KeysPath}/{created.GetProperty("id").GetString()}";
        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync(path, Cancel)).StatusCode);
        var first = (await (await api.AdminClient().GetAsync(path, Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("revoked_at").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync(path, Cancel)).StatusCode);
        var second = (await (await api.AdminClient().GetAsync(path, Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("revoked_at").GetString();
        Assert.Equal(first, second);
    }
}
