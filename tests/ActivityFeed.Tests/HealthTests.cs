using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class HealthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task LiveAnswers200WithoutAToken()
    {
        var response = await api.ClientWithKey(null).GetAsync("/health/live", TestContext.Current.CancellationToken);
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReadyAnswers200WhenTheDatabaseAnswers()
    {
        var response = await api.ClientWithKey(null).GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
    }
}
