using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>Two server processes on one database: what one writes, the other's streams deliver.</summary>
public sealed class MultiProcessStreamTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WritesThroughOneServerProcessArriveOnStreamsServedByAnother()
    {
        await using var writer = await ServerProcess.StartAsync(api.ConnectionString);
        await using var reader = await ServerProcess.StartAsync(api.ConnectionString);
        var writes = writer.Client(api.AdminKey);
        var token = (await (await writes.PostAsJsonAsync($"/orgs/{api.OrgId}/users/u1/tokens", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("token").GetString();

        await using var feed = await SseClient.OpenAsync(reader.Client(api.AdminKey), $"/orgs/{api.OrgId}/activities/stream");
        await using var inbox = await SseClient.OpenAsync(reader.Client(null), $"/orgs/{api.OrgId}/users/me/inbox/stream?access_token={Uri.EscapeDataString(token!)}");
        Assert.Equal("counts", (await inbox.NextAsync()).Event);

        for (var i = 0; i < 5; i++)
        {
            await writes.CreateActivityAsync(api.OrgId, new { type = "call", title = $"via the writer {i}", recipients = new[] { "u1" } });
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"via the writer {i}", (await feed.NextAsync()).Json.GetProperty("title").GetString());
            Assert.Equal($"via the writer {i}", (await inbox.NextOfAsync("activity")).Json.GetProperty("title").GetString());
        }
    }
}
