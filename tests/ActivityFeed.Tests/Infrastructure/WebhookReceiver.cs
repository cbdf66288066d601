using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(int Number, HeaderDictionary Headers, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string WebhookId => Headers["webhook-id"].ToString();
}

/// <summary>
/// A real HTTP receiver on loopback (Kestrel on a free port). <c>answer</c> picks the status of the
/// nth request (1-based) and may delay it; every request is recorded before it is answered.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly List<ReceivedWebhook> _all = [];
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(Func<int, CancellationToken, Task<int>>? answer = null)
    {
        answer ??= (_, _) => Task.FromResult(200);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var headers = new HeaderDictionary();
            foreach (var (name, value) in http.Request.Headers)
            {
                headers[name] = value;
            }

            var number = Interlocked.Increment(ref receiver._count);
            var received = new ReceivedWebhook(number, headers, body, DateTimeOffset.UtcNow);
            lock (receiver._all)
            {
                receiver._all.Add(received);
            }

            receiver._arrivals.Writer.TryWrite(received);
            http.Response.StatusCode = await answer(number, http.RequestAborted);
        });
        await app.StartAsync(ActivityClient.Cancel);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/hook";
        return receiver;
    }

    /// <summary>The next request to arrive, or a failure naming what was received so far.</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan? within = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ActivityClient.Cancel);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _arrivals.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ActivityClient.Cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"No webhook request arrived at {Url} within {within ?? TimeSpan.FromSeconds(30)} ({All.Count} so far).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>The server with webhooks allowed onto loopback and retries in fractions of a second.</summary>
public sealed class WebhookFactory(PostgresServer server) : ApiFactory(server)
{
    public static readonly IReadOnlyDictionary<string, string> FastWebhooks = new Dictionary<string, string>
    {
        ["ActivityFeed:Webhooks:AllowLoopback"] = "true",
        ["ActivityFeed:Webhooks:RetryDelays:0"] = "00:00:00.200",
        ["ActivityFeed:Webhooks:RetryDelays:1"] = "00:00:00.400",
        ["ActivityFeed:Webhooks:PollInterval"] = "00:00:00.100",
        ["ActivityFeed:Webhooks:AttemptTimeout"] = "00:00:03",
    };

    protected override IReadOnlyDictionary<string, string> Settings => FastWebhooks;
}

public static class WebhookClient
{
    public static async Task<JsonElement> CreateWebhookAsync(this HttpClient client, string orgId, object body) =>
        await (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, $"/orgs/{orgId}/webhooks", body, ActivityClient.Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> PatchWebhookAsync(this HttpClient client, string orgId, string id, string json) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/orgs/{orgId}/webhooks/{id}")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/merge-patch+json"),
        }, ActivityClient.Cancel);

    /// <summary>Every delivery of a webhook, newest first, walking <c>next</c>.</summary>
    public static async Task<List<JsonElement>> DeliveriesAsync(this HttpClient client, string orgId, string webhookId)
    {
        var all = new List<JsonElement>();
        var path = $"/orgs/{orgId}/webhooks/{webhookId}/deliveries?take=100";
        while (true)
        {
            var page = await (await client.GetAsync(path, ActivityClient.Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            if (page.GetProperty("next").GetString() is not { } next)
            {
                return all;
            }

            path = $"/orgs/{orgId}/webhooks/{webhookId}/deliveries?take=100&next={Uri.EscapeDataString(next)}";
        }
    }

    /// <summary>Polls the deliveries until <paramref name="done"/> holds (the worker records results after answering).</summary>
    public static async Task<List<JsonElement>> DeliveriesWhenAsync(this HttpClient client, string orgId, string webhookId, Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var deliveries = await client.DeliveriesAsync(orgId, webhookId);
            if (done(deliveries))
            {
                return deliveries;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Deliveries never reached the expected state: {JsonSerializer.Serialize(deliveries)}");
            await Task.Delay(100, ActivityClient.Cancel);
        }
    }
}
