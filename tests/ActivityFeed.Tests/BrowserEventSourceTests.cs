using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ActivityFeed.Tests;

/// <summary>
/// A real browser's EventSource (Debian's Chromium, driven by Playwright) against the server on a
/// loopback port: the token in <c>?access_token=</c>, because EventSource cannot send headers.
/// scripts/test.sh installs Chromium when it is missing.
/// </summary>
public sealed class BrowserEventSourceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task AnEventSourceWithAnAccessTokenReceivesTheInboxAndTheFeed()
    {
        await using var server = await ServerProcess.StartAsync(api.ConnectionString);
        var admin = server.Client(api.AdminKey);
        var token = (await (await admin.PostAsJsonAsync($"/orgs/{api.OrgId}/users/u_browser/tokens", new { }, ActivityClient.Cancel))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("token").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LocalMachine.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{server.Url}/health/live"); // same origin as the streams

        // Open both streams and wait until each is connected (its first event, or onopen).
        await page.EvaluateAsync("""
            async ([org, token]) => {
              window.received = [];
              const open = (url) => new Promise((resolve, reject) => {
                const source = new EventSource(url);
                source.onopen = () => resolve();
                source.onerror = () => reject(new Error('EventSource failed: ' + url));
                source.addEventListener('activity', e => window.received.push({ id: e.lastEventId, data: JSON.parse(e.data), url }));
              });
              const q = 'access_token=' + encodeURIComponent(token);
              await open(`/orgs/${org}/users/me/inbox/stream?${q}`);
              await open(`/orgs/${org}/activities/stream?type=meeting&${q}`);
            }
            """, new[] { api.OrgId, token });

        await admin.CreateActivityAsync(api.OrgId, new { type = "meeting", title = "seen by a browser", recipients = new[] { "u_browser" } });
        var json = await page.EvaluateAsync<string>("""
            () => new Promise((resolve, reject) => {
              const started = Date.now();
              const poll = () => window.received.length >= 2 ? resolve(JSON.stringify(window.received.map(r => ({ id: r.id, title: r.data.title, readAt: String(r.data.read_at), url: r.url }))))
                : Date.now() - started > 20000 ? reject(new Error('no events')) : setTimeout(poll, 50);
              poll();
            })
            """);
        var received = System.Text.Json.JsonSerializer.Deserialize<ReceivedEvent[]>(json, WebJson)!;

        Assert.Equal(2, received.Length);
        Assert.All(received, r => Assert.Equal("seen by a browser", r.Title));
        Assert.All(received, r => Assert.True(long.TryParse(r.Id, out _), r.Id));
        Assert.Contains(received, r => r.Url.Contains("/inbox/stream", StringComparison.Ordinal) && r.ReadAt == "null");
    }

    public sealed record ReceivedEvent(string Id, string Title, string ReadAt, string Url);
}
