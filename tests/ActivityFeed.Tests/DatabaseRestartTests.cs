using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>
/// The database restarted under load: while it is down every request is answered at once with a
/// 503 problem and <c>Retry-After</c>; when it is back the same server process serves again, and
/// writes retried with their <c>Idempotency-Key</c> land exactly once.
/// </summary>
public sealed class DatabaseRestartTests(RestartableDatabaseFactory api) : IClassFixture<RestartableDatabaseFactory>
{
    private const int Workers = 4;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestsFailFastWith503WhileTheDatabaseIsDownAndTheServerRecoversWithoutARestart()
    {
        await using var server = await ServerProcess.StartAsync(api.ConnectionString);
        var outcomes = new ConcurrentQueue<Outcome>();
        var writtenKeys = new ConcurrentDictionary<string, string>(); // Idempotency-Key → activity id
        using var stop = new CancellationTokenSource();
        var phase = Phase.Before;

        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            using var client = server.Client(api.AdminKey);
            client.Timeout = TimeSpan.FromSeconds(30); // a request that hangs this long fails the test
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"restart-{worker}-{n}";
                // A write is retried with its key until it is answered with the activity: exactly once, whatever the outage did.
                while (!stop.IsCancellationRequested || phase == Phase.Recovered)
                {
                    var written = await TimedAsync(client, phase, () => client.PostActivityAsync(api.OrgId, new { type = "call", title = key, contact_id = "c_restart" }, key));
                    outcomes.Enqueue(written.Outcome);
                    if (written.Outcome.Status is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        writtenKeys[key] = written.Body!.Value.GetProperty("id").GetString()!;
                        break;
                    }

                    await Task.Delay(100, CancellationToken.None);
                }

                var read = await TimedAsync(client, phase, () => client.GetAsync($"/orgs/{api.OrgId}/activities?take=5", CancellationToken.None));
                outcomes.Enqueue(read.Outcome);
            }
        }, CancellationToken.None)).ToArray();

        await Task.Delay(1500, Cancel);
        phase = Phase.Stopping;
        await api.Cluster.StopServerAsync();
        phase = Phase.Down;
        // Down until the clients have been answered a good number of times (a loaded machine may be slow to send them).
        var down = Stopwatch.StartNew();
        while (outcomes.Count(o => o.Phase == Phase.Down) < 3 * Workers && down.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, Cancel);
        }

        phase = Phase.Restarted;
        await api.Cluster.StartServerAsync();

        // Recovered: a run of successful answers from the same process, with no restart in between.
        var recovery = Stopwatch.StartNew();
        while (recovery.Elapsed < TimeSpan.FromSeconds(60)
               && outcomes.Where(o => o.Phase == Phase.Restarted).Reverse().Take(20).Count(o => o.Status is HttpStatusCode.OK or HttpStatusCode.Created) < 20)
        {
            await Task.Delay(100, Cancel);
        }

        var recoveredAfter = recovery.Elapsed;
        phase = Phase.Recovered;
        await Task.Delay(1000, Cancel);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = outcomes.ToArray();
        var unexpected = all.Where(o => o.Status is not (HttpStatusCode.OK or HttpStatusCode.Created) && !o.IsRetryable503).ToArray();
        Assert.True(unexpected.Length == 0, "Answers other than success or a 503 problem with Retry-After:\n" + string.Join('\n', unexpected.Take(10))
                                            + "\nThe server's errors:\n" + string.Join('\n', server.Output.Split('\n').Where(line => line.Contains("\"@x\"", StringComparison.Ordinal)).Select(line => line.Length > 3000 ? line[..3000] : line)));
        var unavailable = all.Where(o => o.IsRetryable503).ToArray();
        Assert.Contains(unavailable, o => o.Phase == Phase.Down); // the outage was seen, and answered
        Assert.True(all.Count(o => o.Phase == Phase.Recovered && o.Status is HttpStatusCode.OK or HttpStatusCode.Created) >= 20,
            $"The server did not serve again within {recoveredAfter} of the database coming back:\n{server.Output}");

        // Nothing lost, nothing twice: every key answered with an activity is there once, under the id it was answered with.
        using var reader = server.Client(api.AdminKey);
        var stored = await StoredTitlesAsync(reader);
        Assert.Equal(writtenKeys.Count, stored.Count);
        Assert.All(writtenKeys, pair => Assert.Equal(pair.Key, stored[pair.Value]));

        // Fail fast: while the server is down nothing waits for a connect timeout (15 s) or a command timeout (30 s).
        var slowestWhileDown = all.Where(o => o.Phase == Phase.Down).MaxBy(o => o.Elapsed)!;
        Assert.True(slowestWhileDown.Elapsed < TimeSpan.FromSeconds(10), $"A request took {slowestWhileDown.Elapsed} while the database was down: {slowestWhileDown}\n{server.Output}");

        await SecurityReport.RecordAsync("faults: database restarted under load",
            $"{all.Length} requests from {Workers} clients, {unavailable.Length} answered 503 + Retry-After (slowest while down {slowestWhileDown.Elapsed.TotalMilliseconds:0} ms), " +
            $"0 other errors, served again {recoveredAfter.TotalSeconds:0.0} s after the restart by the same process, {writtenKeys.Count} keyed writes each stored once");
    }

    private async Task<Dictionary<string, string>> StoredTitlesAsync(HttpClient client)
    {
        var titles = new Dictionary<string, string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/orgs/{api.OrgId}/activities?take=100{(cursor is null ? "" : $"&next={Uri.EscapeDataString(cursor)}")}", Cancel);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                Assert.True(titles.TryAdd(item.GetProperty("id").GetString()!, item.GetProperty("title").GetString()!));
            }

            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(titles.Count, titles.Values.Distinct().Count()); // no key written twice
        return titles;
    }

    private static async Task<(Outcome Outcome, JsonElement? Body)> TimedAsync(HttpClient client, Phase phase, Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
        var body = text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : (JsonElement?)null;
        var retryable = response.StatusCode == HttpStatusCode.ServiceUnavailable
                        && response.Headers.RetryAfter is not null
                        && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                        && body?.TryGetProperty("trace_id", out _) == true;
        return (new Outcome(phase, response.StatusCode, retryable, clock.Elapsed, text.Length > 300 ? text[..300] : text), body);
    }

    private enum Phase
    {
        Before,
        Stopping,
        Down,
        Restarted,
        Recovered,
    }

    private sealed record Outcome(Phase Phase, HttpStatusCode Status, bool IsRetryable503, TimeSpan Elapsed, string Body);
}
