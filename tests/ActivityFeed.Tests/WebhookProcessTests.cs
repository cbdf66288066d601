using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>§9 across processes: deliveries survive a killed server and are shared by several without duplicates.</summary>
public sealed class WebhookProcessTests(WebhookProcessFactory api) : IClassFixture<WebhookProcessFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AServerKilledMidAttemptLeavesTheDeliveryToTheNextProcessWithTheSameWebhookId()
    {
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async (n, aborted) =>
        {
            if (n == 1)
            {
                firstArrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, aborted); // holds the first attempt open until its sender dies
            }

            return 200;
        });
        var first = await ServerProcess.StartAsync(api.ConnectionString, WebhookFactory.FastWebhooks);
        var writes = first.Client(api.AdminKey);
        var webhook = await writes.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_crash" } });
        await writes.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_crash", title = "in flight when the server died" });
        await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        await first.KillAsync();

        await using var second = await ServerProcess.StartAsync(api.ConnectionString, WebhookFactory.FastWebhooks);
        var redelivered = await receiver.NextAsync(); // the first arrival
        var retried = await receiver.NextAsync(TimeSpan.FromSeconds(60)); // after the dead attempt's lease ran out
        Assert.Equal(redelivered.WebhookId, retried.WebhookId);
        Assert.Equal("in flight when the server died", retried.Json.GetProperty("data").GetProperty("title").GetString());

        var delivery = Assert.Single(await second.Client(api.AdminKey).DeliveriesWhenAsync(api.OrgId, webhook.GetProperty("id").GetString()!,
            d => d.Count == 1 && d[0].GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AnEventWrittenWhileNoServerRunsIsDeliveredByTheNextOneToStart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var first = await ServerProcess.StartAsync(api.ConnectionString, WebhookFactory.FastWebhooks);
        var webhook = await first.Client(api.AdminKey).CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_offline" } });
        await first.KillAsync();

        // A process that writes but does not deliver stands for "the event committed, then every server went down".
        var noDeliveries = new Dictionary<string, string>(WebhookFactory.FastWebhooks) { ["ActivityFeed:Webhooks:DeliveryEnabled"] = "false" };
        var writerOnly = await ServerProcess.StartAsync(api.ConnectionString, noDeliveries);
        await writerOnly.Client(api.AdminKey).CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_offline", title = "written with no deliverer" });
        await Task.Delay(500, Cancel);
        Assert.Empty(receiver.All);
        await writerOnly.KillAsync();

        await using var second = await ServerProcess.StartAsync(api.ConnectionString, WebhookFactory.FastWebhooks);
        Assert.Equal("written with no deliverer", (await receiver.NextAsync()).Json.GetProperty("data").GetProperty("title").GetString());
        Assert.Single(await second.Client(api.AdminKey).DeliveriesAsync(api.OrgId, webhook.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task TwoServerProcessesDeliverEachOf500EventsExactlyOnceBetweenThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var one = await ServerProcess.StartAsync(api.ConnectionString, WebhookFactory.FastWebhooks);
        await using var two = await ServerProcess.StartAsync(api.ConnectionString, WebhookFactory.FastWebhooks);
        var clients = new[] { one.Client(api.AdminKey), two.Client(api.AdminKey) };
        var webhook = await clients[0].CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_shared" } });

        // Ten batches of 50, alternately through each process, two at a time.
        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                var activities = Enumerable.Range(0, 50).Select(k => new { type = "call", contact_id = "c_shared", title = $"r{round}p{i}k{k}" }).ToArray();
                await (await client.PostBatchAsync(api.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
            }));
        }

        var deliveries = await clients[1].DeliveriesWhenAsync(api.OrgId, webhook.GetProperty("id").GetString()!,
            d => d.Count == 500 && d.All(x => x.GetProperty("status").GetString() == "succeeded"));
        Assert.All(deliveries, d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
        var received = receiver.All;
        Assert.Equal(500, received.Count);
        Assert.Equal(500, received.Select(r => r.WebhookId).Distinct().Count());
        Assert.Equal(500, received.Select(r => r.Json.GetProperty("data").GetProperty("title").GetString()).Distinct().Count());
    }
}

/// <summary>The test host here only provisions the database: the server processes under test do all webhook work.</summary>
public sealed class WebhookProcessFactory(PostgresServer server) : ApiFactory(server)
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ActivityFeed:Webhooks:DeliveryEnabled"] = "false",
    };
}
