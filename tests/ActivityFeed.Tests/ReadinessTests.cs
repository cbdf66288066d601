using System.Net;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ActivityFeed.Tests;

public sealed class ReadinessTests
{
    [Fact]
    public async Task ReadyIs503AndLiveIs200WhenTheDatabaseIsUnreachable()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            // Nothing listens on port 1; the server must still start, answer live, and report not ready.
            builder.UseSetting("ConnectionStrings:ActivityFeed", "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");
            builder.UseSetting("ActivityFeed:MigrateOnStartup", "false");
        });
        var client = factory.CreateClient();
        var cancel = TestContext.Current.CancellationToken;

        var ready = await client.GetAsync("/health/ready", cancel);
        var body = await ready.ReadJsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", cancel)).StatusCode);
    }
}
