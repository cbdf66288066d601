using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Api.Streams;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActivityFeed.Tests;

/// <summary>The live streams: events from the change log, filters, the inbox with counts, resuming, retention.</summary>
public sealed class StreamTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, string OrgId)> OrgAsync(string name)
    {
        var org = await api.CreateOrgAsync(name);
        return (api.ClientWithKey(org.ApiKey), org.OrgId);
    }

    [Fact]
    public async Task AnActivityCreatedWhileConnectedArrivesEnrichedWithItsPosition()
    {
        var (client, org) = await OrgAsync("Stream create");
        await client.PutAsJsonAsync($"/orgs/{org}/users/u_actor", new { name = "Ada" }, Cancel);
        await using var stream = await SseClient.OpenAsync(client, $"/orgs/{org}/activities/stream");
        var created = await client.CreateActivityAsync(org, new { type = "call", title = "live", actor_id = "u_actor" });

        var received = await stream.NextAsync();
        Assert.Equal("activity", received.Event);
        Assert.True(long.TryParse(received.Id, out var position) && position > 0, received.Id);
        Assert.Equal(created.GetProperty("id").GetString(), received.Json.GetProperty("id").GetString());
        Assert.Equal("Ada", received.Json.GetProperty("actor").GetProperty("name").GetString());

        await (await client.PatchActivityAsync(org, created.GetProperty("id").GetString()!, "{\"title\": \"changed\"}")).ReadJsonAsync(HttpStatusCode.OK);
        var changed = await stream.NextAsync();
        Assert.Equal("changed", changed.Json.GetProperty("title").GetString());
        Assert.True(long.Parse(changed.Id!) > position);
    }

    [Fact]
    public async Task TheListFiltersApplyAndDeletesAreNotEvents()
    {
        var (client, org) = await OrgAsync("Stream filters");
        await using var stream = await SseClient.OpenAsync(client, $"/orgs/{org}/activities/stream?type=meeting&contact_id=c1");
        var call = await client.CreateActivityAsync(org, new { type = "call", title = "call", contact_id = "c1" });
        await client.CreateActivityAsync(org, new { type = "meeting", title = "other contact", contact_id = "c2" });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/orgs/{org}/activities/{call.GetProperty("id").GetString()}", Cancel)).StatusCode);
        await client.CreateActivityAsync(org, new { type = "meeting", title = "match", contact_id = "c1" });
        Assert.Equal("match", (await stream.NextAsync()).Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AnInboxStreamWithAnAccessTokenSendsItemsWithStateAndCountsWhenUnreadChanges()
    {
        var (client, org) = await OrgAsync("Stream inbox");
        var token = (await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/tokens", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("token").GetString();
        var browser = api.ClientWithKey(null); // EventSource sends no headers
        await using var stream = await SseClient.OpenAsync(browser, $"/orgs/{org}/users/me/inbox/stream?access_token={Uri.EscapeDataString(token!)}");

        var initial = await stream.NextAsync();
        Assert.Equal("counts", initial.Event);
        Assert.Null(initial.Id);
        Assert.Equal(0, initial.Json.GetProperty("unread").GetInt64());

        await client.CreateActivityAsync(org, new { type = "call", title = "not for u1", recipients = new[] { "u2" } });
        await client.CreateActivityAsync(org, new { type = "call", title = "for u1", recipients = new[] { "u1", "u2" } });
        var item = await stream.NextAsync();
        Assert.Equal("activity", item.Event);
        Assert.Equal("for u1", item.Json.GetProperty("title").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.Json.GetProperty("read_at").ValueKind);
        var counts = await stream.NextAsync();
        Assert.Equal("counts", counts.Event);
        Assert.Equal(1, counts.Json.GetProperty("unread").GetInt64());

        await (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/orgs/{org}/users/u1/inbox/read")
        {
            Content = JsonContent.Create(new { all = true }),
            Headers = { Authorization = new("Bearer", token) },
        }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var afterRead = await stream.NextAsync();
        Assert.Equal("counts", afterRead.Event);
        Assert.Equal(0, afterRead.Json.GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task AnAccessTokenInTheQueryIsNeverLogged()
    {
        var (client, org) = await OrgAsync("Stream token logs");
        var token = (await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/tokens", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("token").GetString()!;
        await using (var stream = await SseClient.OpenAsync(api.ClientWithKey(null), $"/orgs/{org}/users/me/inbox/stream?access_token={Uri.EscapeDataString(token)}"))
        {
            await stream.NextAsync();
        }

        await (await api.ClientWithKey(null).GetAsync($"/orgs/{org}/activities/stream?access_token={Uri.EscapeDataString(token)}x", Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await Task.Delay(200, Cancel); // the request log line is written as the response completes
        Assert.Contains(api.Logs.Lines, line => line.Contains("/inbox/stream", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Logs.Lines, line => line.Contains(token[10..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task AThousandActivitiesArriveOnceAndInOrderAcrossAReconnectWithLastEventId()
    {
        var (client, org) = await OrgAsync("Stream resume");
        var received = new List<string>();
        string? lastId;
        var first = await SseClient.OpenAsync(client, $"/orgs/{org}/activities/stream");
        var writer = Task.Run(async () =>
        {
            for (var batch = 0; batch < 100; batch++)
            {
                var activities = Enumerable.Range(0, 10).Select(i => new { type = "call", title = $"n{batch * 10 + i:0000}" }).ToArray();
                await (await client.PostBatchAsync(org, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
            }
        }, Cancel);

        await using (first)
        {
            SseEvent last;
            do
            {
                last = await NextOrWriterFailureAsync(first, writer);
                received.Add(last.Json.GetProperty("title").GetString()!);
            }
            while (received.Count < 300);

            lastId = last.Id;
        }

        await using var second = await SseClient.OpenAsync(client, $"/orgs/{org}/activities/stream", lastEventId: lastId);
        while (received.Count < 1000)
        {
            received.Add((await NextOrWriterFailureAsync(second, writer)).Json.GetProperty("title").GetString()!);
        }

        await writer;
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"n{i:0000}"), received);
        await Assert.ThrowsAsync<TimeoutException>(() => second.NextAsync(TimeSpan.FromMilliseconds(500))); // and nothing more
    }

    /// <summary>The next event; when none comes, the writer's failure (if it failed) is the better message.</summary>
    private static async Task<SseEvent> NextOrWriterFailureAsync(SseClient stream, Task writer)
    {
        try
        {
            return await stream.NextAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException) when (writer.IsFaulted)
        {
            await writer;
            throw;
        }
    }

    [Fact]
    public async Task ACursorOlderThanTheRetentionIsAnErrorEventAndTheStreamGoesOn()
    {
        var (client, org) = await OrgAsync("Stream retention");
        for (var i = 0; i < 3; i++)
        {
            await client.CreateActivityAsync(org, new { type = "call", title = $"old {i}" });
        }

        var sweeper = api.Services.GetRequiredService<ChangeEventSweeper>();
        while (await sweeper.SweepAsync(DateTimeOffset.UtcNow.AddDays(1), Cancel) > 0)
        {
        }

        await using var stream = await SseClient.OpenAsync(client, $"/orgs/{org}/activities/stream", lastEventId: "1");
        var error = await stream.NextAsync();
        Assert.Equal("error", error.Event);
        Assert.Equal(410, error.Json.GetProperty("status").GetInt32());
        await client.CreateActivityAsync(org, new { type = "call", title = "new" });
        Assert.Equal("new", (await stream.NextAsync()).Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task EveryErrorOnAStreamPathIsAProblemWhateverTheAccept()
    {
        var (client, org) = await OrgAsync("Stream errors");
        var other = await api.CreateOrgAsync("Stream errors other");
        var writeOnly = api.ClientWithKey(await api.CreateKeyAsync("activities:write"));
        var token = (await (await client.PostAsJsonAsync($"/orgs/{org}/users/u1/tokens", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("token").GetString();
        var cases = new (HttpClient Client, string Url, HttpStatusCode Status)[]
        {
            (api.ClientWithKey(null), $"/orgs/{org}/activities/stream", HttpStatusCode.Unauthorized),
            (api.ClientWithKey("afk.bad.token"), $"/orgs/{org}/activities/stream", HttpStatusCode.Unauthorized),
            (api.ClientWithKey(null), $"/orgs/{org}/activities/stream?access_token=afu.bad.token", HttpStatusCode.Unauthorized),
            (client, $"/orgs/{other.OrgId}/activities/stream", HttpStatusCode.NotFound),
            (writeOnly, $"/orgs/{api.OrgId}/activities/stream", HttpStatusCode.Forbidden),
            (client, $"/orgs/{org}/activities/stream?type=Not A Type", HttpStatusCode.BadRequest),
            (client, $"/orgs/{org}/activities/stream?last_event_id=abc", HttpStatusCode.BadRequest),
            (client, $"/orgs/{org}/activities/stream?last_event_id=99999", HttpStatusCode.BadRequest),
            (client, $"/orgs/{org}/activities/stream?bogus=1", HttpStatusCode.BadRequest),
            (api.ClientWithKey(null), $"/orgs/{org}/users/u2/inbox/stream?access_token={Uri.EscapeDataString(token!)}", HttpStatusCode.NotFound),
            (client, $"/orgs/{org}/users/me/inbox/stream", HttpStatusCode.BadRequest),
            (api.ClientWithKey(null), $"/orgs/{org}/activities?access_token={Uri.EscapeDataString(token!)}", HttpStatusCode.Unauthorized), // only streams take it
            (api.ClientWithKey("afk.bad.token"), $"/orgs/{org}/activities", HttpStatusCode.Unauthorized),
            (client, $"/orgs/{org}/no-such-path", HttpStatusCode.NotFound),
        };
        foreach (var (caller, url, status) in cases)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await caller.SendAsync(request, Cancel);
            await response.AssertProblemAsync(status);
        }
    }

    [Fact]
    public void AConnectionThatFallsBehindEndsItsSubscriptionRatherThanBufferingWithoutBound()
    {
        var subscriber = new StreamSubscriber("org", new Api.Activities.Feeds.FeedFilters(), null, capacity: 2);
        Assert.True(subscriber.Offer(new StreamMessage(1, "activity", "{}")));
        Assert.True(subscriber.Offer(new StreamMessage(2, "activity", "{}")));
        Assert.False(subscriber.Offer(new StreamMessage(3, "activity", "{}")));
        Assert.True(subscriber.Overflowed);
        Assert.True(subscriber.Reader.TryRead(out var first) && first.Position == 1);
        Assert.True(subscriber.Reader.TryRead(out var second) && second.Position == 2);
        Assert.False(subscriber.Reader.TryRead(out _));
        Assert.True(subscriber.Reader.Completion.IsCompleted);
    }
}

/// <summary>Heartbeats and the slow-client rule, with small settings.</summary>
public sealed class StreamSettingsFactory(PostgresServer server) : ApiFactory(server)
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ActivityFeed:Streams:HeartbeatInterval"] = "00:00:00.300",
        ["ActivityFeed:Streams:ConnectionBuffer"] = "3",
    };
}

public sealed class StreamSettingsTests(StreamSettingsFactory api) : IClassFixture<StreamSettingsFactory>
{
    [Fact]
    public async Task AClientThatFallsBehindGetsAnErrorEventThenResumesWithNothingLost()
    {
        var client = api.AdminClient();
        var titles = new List<string>();
        string? lastId = null;
        await using (var stream = await SseClient.OpenAsync(client, $"/orgs/{api.OrgId}/activities/stream?type=meeting"))
        {
            // One transaction of 100 events against a buffer of 3: the follower offers them faster than any connection drains.
            var activities = Enumerable.Range(0, 100).Select(i => new { type = "meeting", title = $"m{i:000}" }).ToArray();
            await (await client.PostBatchAsync(api.OrgId, new { activities })).ReadJsonAsync(System.Net.HttpStatusCode.Created);
            while (true)
            {
                var next = await stream.NextAsync();
                if (next.Event == "error")
                {
                    Assert.Equal(503, next.Json.GetProperty("status").GetInt32());
                    break;
                }

                titles.Add(next.Json.GetProperty("title").GetString()!);
                lastId = next.Id;
            }

            Assert.True(titles.Count < 100, "the buffer never filled");
            await Assert.ThrowsAsync<InvalidOperationException>(() => stream.NextAsync(TimeSpan.FromSeconds(5))); // the stream ended
        }

        await using var resumed = await SseClient.OpenAsync(client, $"/orgs/{api.OrgId}/activities/stream?type=meeting", lastEventId: lastId ?? "0");
        while (titles.Count < 100)
        {
            titles.Add((await resumed.NextAsync()).Json.GetProperty("title").GetString()!);
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i:000}"), titles);
    }

    [Fact]
    public async Task AnIdleStreamGetsACommentHeartbeat()
    {
        await using var stream = await SseClient.OpenAsync(api.AdminClient(), $"/orgs/{api.OrgId}/activities/stream");
        var beat = await stream.NextAsync(TimeSpan.FromSeconds(5), includeComments: true);
        Assert.Equal("heartbeat", beat.Comment);
    }
}
