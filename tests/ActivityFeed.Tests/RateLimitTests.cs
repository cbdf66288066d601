using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>A deliberately small bucket: 3 requests at once, then 1 a second.</summary>
public sealed class RateLimitedApiFactory(PostgresServer server) : ApiFactory(server)
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ActivityFeed:RateLimit:Enabled"] = "true",
        ["ActivityFeed:RateLimit:PermitsPerSecond"] = "1",
        ["ActivityFeed:RateLimit:Burst"] = "3",
    };
}

public sealed class RateLimitTests(RateLimitedApiFactory api) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task ATokenOverItsRateGets429WithRetryAfterAndOtherTokensAreUnaffected()
    {
        var path = $"/orgs/{api.OrgId}/activities";
        var client = api.AdminClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await client.GetAsync(path, ActivityClient.Cancel);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(",", statuses));
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        var other = await api.CreateOrgAsync("Other tenant");
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithKey(other.ApiKey).GetAsync($"/orgs/{other.OrgId}/activities", ActivityClient.Cancel)).StatusCode);
    }
}
