using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

public sealed class UserTokenTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonElement> MintAsync(string userId, object? body = null) =>
        await (await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/users/{userId}/tokens", body ?? new { }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task AnAdminMintsATokenShownOnceWithItsUserAndExpiry()
    {
        var before = DateTimeOffset.UtcNow;
        var response = await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/users/u_mint/tokens", new { }, Cancel);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "token", "user_id", "expires_at"], created.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("utk_", created.GetProperty("id").GetString());
        Assert.StartsWith("afu.", created.GetProperty("token").GetString());
        Assert.Equal("u_mint", created.GetProperty("user_id").GetString());
        var expiresAt = created.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expiresAt, before.AddSeconds(3599), DateTimeOffset.UtcNow.AddSeconds(3601));
        Assert.Equal($"/orgs/{api.OrgId}/users/u_mint/tokens/{created.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);

        var listed = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/users/u_mint/tokens", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("token", out _));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task AMintRequestWithoutABodyGetsTheDefaultHour()
    {
        var response = await api.AdminClient().PostAsync($"/orgs/{api.OrgId}/users/u_nobody/tokens", null, Cancel);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.InRange(created.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task ExpiresInAndExpiresAtSetTheExpiry()
    {
        var inDay = await MintAsync("u_exp", new { expires_in = 86_400 });
        Assert.InRange(inDay.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(23.9), DateTimeOffset.UtcNow.AddHours(24.1));
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var fixedExpiry = await MintAsync("u_exp", new { expires_at = at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'") });
        Assert.Equal(at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"), fixedExpiry.GetProperty("expires_at").GetString());
    }

    [Theory]
    [InlineData("{\"expires_in\": 0}", "expires_in")]
    [InlineData("{\"expires_in\": 2592001}", "expires_in")]
    [InlineData("{\"expires_in\": 60, \"expires_at\": \"2099-01-01T00:00:00Z\"}", "expires_at")]
    [InlineData("{\"expires_at\": \"2020-01-01T00:00:00Z\"}", "expires_at")]
    [InlineData("{\"expires_at\": \"2099-01-01T00:00:00Z\"}", "expires_at")]
    [InlineData("{\"expires_in\": \"soon\"}", "expires_in")]
    [InlineData("{\"scopes\": [\"admin\"]}", "scopes")]
    public async Task ABadExpiryIsAProblemNamingIt(string body, string field)
    {
        var response = await api.AdminClient().PostAsync($"/orgs/{api.OrgId}/users/u_bad/tokens", HttpAssertions.Json(body), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task ThirtyDaysIsTheLongestLifetime()
    {
        var created = await MintAsync("u_long", new { expires_in = 2_592_000 });
        Assert.InRange(created.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(29.9), DateTimeOffset.UtcNow.AddDays(30));
    }

    [Fact]
    public async Task AUserTokenReadsTheOrgFeedAndItsOwnInboxByIdOrMe()
    {
        await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call", title = "for u_reader", recipients = new[] { "u_reader" } });
        var token = (await MintAsync("u_reader")).GetProperty("token").GetString();
        var client = api.ClientWithKey(token);
        await (await client.GetAsync($"/orgs/{api.OrgId}/activities", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var who in new[] { "me", "u_reader" })
        {
            var inbox = await (await client.GetAsync($"/orgs/{api.OrgId}/users/{who}/inbox", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal("for u_reader", Assert.Single(inbox.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task AnotherUsersInboxIsNotFoundForAUserToken()
    {
        var token = (await MintAsync("u_one")).GetProperty("token").GetString();
        var client = api.ClientWithKey(token);
        foreach (var path in new[] { "inbox", "inbox/counts" })
        {
            await (await client.GetAsync($"/orgs/{api.OrgId}/users/u_two/{path}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await client.PostAsJsonAsync($"/orgs/{api.OrgId}/users/u_two/inbox/read", new { all = true }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AUserTokenOnAnAdminOrWriteEndpointIsForbidden()
    {
        var token = (await MintAsync("u_limited")).GetProperty("token").GetString();
        var client = api.ClientWithKey(token);
        await (await client.GetAsync($"/orgs/{api.OrgId}/api-keys", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync($"/orgs/{api.OrgId}/users/u_limited/tokens", new { }, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostActivityAsync(api.OrgId, new { type = "call" })).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnExpiredTokenIsUnauthorizedWithTheBearerChallenge()
    {
        var created = await MintAsync("u_expired", new { expires_in = 60 });
        var client = api.ClientWithKey(created.GetProperty("token").GetString());
        await (await client.GetAsync($"/orgs/{api.OrgId}/users/me/inbox", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var expire = new NpgsqlCommand("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE id = @id", connection);
            expire.Parameters.AddWithValue("id", created.GetProperty("id").GetString()!);
            Assert.Equal(1, await expire.ExecuteNonQueryAsync(Cancel));
        }

        var response = await client.GetAsync($"/orgs/{api.OrgId}/users/me/inbox", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ARevokedTokenIsUnauthorizedAndStaysListed()
    {
        var created = await MintAsync("u_revoked");
        var id = created.GetProperty("id").GetString();
        var client = api.ClientWithKey(created.GetProperty("token").GetString());
        await (await client.GetAsync($"/orgs/{api.OrgId}/users/me/inbox", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/users/u_revoked/tokens/{id}", Cancel)).StatusCode);
        var response = await client.GetAsync($"/orgs/{api.OrgId}/users/me/inbox", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());

        var one = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/users/u_revoked/tokens/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, one.GetProperty("revoked_at").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/users/u_revoked/tokens/{id}", Cancel)).StatusCode);
        await (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/users/u_other/tokens/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/users/u_revoked/tokens/utk_missing", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ATokenIsGoodForItsOwnOrgOnly()
    {
        var other = await api.CreateOrgAsync("Other token org");
        var token = (await MintAsync("u_home")).GetProperty("token").GetString();
        await (await api.ClientWithKey(token).GetAsync($"/orgs/{other.OrgId}/users/me/inbox", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.ClientWithKey(token).GetAsync($"/orgs/{other.OrgId}/activities", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        // Another org's admin cannot mint tokens here.
        await (await api.ClientWithKey(other.ApiKey).PostAsJsonAsync($"/orgs/{api.OrgId}/users/u_home/tokens", new { }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnAlteredTokenIsUnauthorized()
    {
        var token = (await MintAsync("u_altered")).GetProperty("token").GetString()!;
        var altered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        await (await api.ClientWithKey(altered).GetAsync($"/orgs/{api.OrgId}/users/me/inbox", Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnInvalidUserIdInTheTokenPathIsABadRequest()
    {
        var response = await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/users/{Uri.EscapeDataString("bad user")}/tokens", new { }, Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("user_id", out _));
    }
}
