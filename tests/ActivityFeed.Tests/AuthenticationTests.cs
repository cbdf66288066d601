using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class AuthenticationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string KeysPath => $"/orgs/{api.OrgId}/api-keys";

    [Fact]
    public async Task RequestWithoutTokenIs401WithBearerChallenge()
    {
        var response = await api.ClientWithKey(null).GetAsync(KeysPath, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("afk.Zm9v.c2VjcmV0")]
    [InlineData("afk.%%%.x")]
    public async Task UnknownOrMalformedTokenIs401(string token)
    {
        var response = await api.ClientWithKey(token).GetAsync(KeysPath, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task NonBearerSchemeIs401()
    {
        var client = api.ClientWithKey(null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var response = await client.GetAsync(KeysPath, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TamperedSecretOfARealKeyIs401()
    {
        var tampered = api.AdminKey[..^2] + (api.AdminKey.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        var response = await api.ClientWithKey(tampered).GetAsync(KeysPath, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokedKeyIs401()
    {
        var created = await (await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "to revoke", scopes = new[] { "admin" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString();
        var keyClient = api.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await keyClient.GetAsync(KeysPath, Cancel)).StatusCode);

        var revoke = await api.AdminClient().DeleteAsync($"{KeysPath}/{created.GetProperty("id").GetString()}", Cancel);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        await (await keyClient.GetAsync(KeysPath, Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KeyWithoutTheScopeIs403()
    {
        var created = await (await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "reader", scopes = new[] { "activities:read" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var response = await api.ClientWithKey(created.GetProperty("key").GetString()).GetAsync(KeysPath, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnotherOrgsPathIs404ExactlyLikeAMissingOrg()
    {
        var other = await api.CreateOrgAsync("Other org");
        var client = api.AdminClient();

        var otherOrg = await client.GetAsync($"/orgs/{other.OrgId}/api-keys", Cancel);
        var missingOrg = await client.GetAsync("/orgs/org_does_not_exist/api-keys", Cancel);

        var otherProblem = await otherOrg.AssertProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missingOrg.AssertProblemAsync(HttpStatusCode.NotFound);
        // Same members, same values, apart from the org id the caller sent and the per-request trace id.
        Assert.Equal(
            Normalize(missingProblem.GetRawText(), missingProblem, "org_does_not_exist"),
            Normalize(otherProblem.GetRawText(), otherProblem, other.OrgId));
    }

    [Fact]
    public async Task AnotherOrgsPathIs404EvenWithoutTheScope()
    {
        var reader = await (await api.AdminClient().PostAsJsonAsync(KeysPath, new { name = "reader", scopes = new[] { "activities:read" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var other = await api.CreateOrgAsync("Third org");
        var response = await api.ClientWithKey(reader.GetProperty("key").GetString()).GetAsync($"/orgs/{other.OrgId}/api-keys", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherOrgsKeyCannotReachThisOrg()
    {
        var other = await api.CreateOrgAsync("Fourth org");
        var response = await api.ClientWithKey(other.ApiKey).GetAsync(KeysPath, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UsingAKeyRecordsLastUsedAt()
    {
        var response = await api.AdminClient().GetAsync(KeysPath, Cancel);
        var list = await response.ReadJsonAsync(HttpStatusCode.OK);
        var bootstrap = list.GetProperty("items").EnumerateArray().First();
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, bootstrap.GetProperty("last_used_at").ValueKind);
    }

    private static string Normalize(string raw, System.Text.Json.JsonElement problem, string orgId) =>
        raw.Replace(problem.GetProperty("trace_id").GetString()!, "TRACE", StringComparison.Ordinal)
            .Replace(orgId, "ORG", StringComparison.Ordinal);
}
