using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>Helpers for the source dialects' tests: an org of its own, user tokens, JSON reads and member checks.</summary>
public static class DialectClient
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<(HttpClient Client, string OrgId)> SeededOrgAsync(this ApiFactory api, string name, params object[] activities)
    {
        var org = await api.CreateOrgAsync(name);
        var client = api.ClientWithKey(org.ApiKey);
        if (activities.Length > 0)
        {
            await (await client.PostBatchAsync(org.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
        }

        return (client, org.OrgId);
    }

    public static async Task<string> MintUserTokenAsync(this HttpClient admin, string orgId, string userId) =>
        (await (await admin.PostAsJsonAsync($"/orgs/{orgId}/users/{userId}/tokens", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.Created))
        .GetProperty("token").GetString()!;

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url) =>
        await (await client.GetAsync(url, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>A 400 problem whose errors name <paramref name="parameter"/>.</summary>
    public static async Task AssertBadParameterAsync(this HttpClient client, string url, string parameter)
    {
        var problem = await (await client.GetAsync(url, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    public static string[] Members(this JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    public static void AssertMembers(this JsonElement element, params string[] expected) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), element.Members());

    /// <summary>§1: RFC 3339 UTC with six fractional digits.</summary>
    public static void AssertTimestamp(this JsonElement element) =>
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", element.GetString());
}
