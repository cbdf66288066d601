using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// The server process SIGKILLed in the middle of a 1,000-item batch: the batch is wholly there or
/// wholly absent (activities and their change events alike), and a retry with the same
/// <c>Idempotency-Key</c> completes it exactly once.
/// </summary>
public sealed class KilledServerTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int BatchSize = 1000;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // How long after the batch's transaction first wrote a row the process is killed.
    private static readonly int[] KillDelaysMilliseconds = [0, 20, 80];

    [Fact]
    public async Task ABatchCutByAKilledServerIsAllOrNothingAndItsRetryCompletesItOnce()
    {
        // The process that takes the retries lives throughout; each round kills a second one.
        await using var survivor = await ServerProcess.StartAsync(api.ConnectionString);
        using var client = survivor.Client(api.AdminKey);
        var killedMidTransaction = 0;
        var leftWhole = 0;
        foreach (var (delay, round) in KillDelaysMilliseconds.Select((delay, round) => (delay, round)))
        {
            var tag = $"kill-{round}";
            var key = $"killed-batch-{round}";
            var batch = Batch(tag);

            var applicationName = $"killed-server-{round}";
            var serverConnection = new NpgsqlConnectionStringBuilder(api.ConnectionString) { ApplicationName = applicationName }.ConnectionString;
            var doomed = await ServerProcess.StartAsync(serverConnection);
            using var doomedClient = doomed.Client(api.AdminKey);
            var inFlight = doomedClient.PostBatchAsync(api.OrgId, batch, key);

            var writing = await TransactionWritingAsync(applicationName, inFlight);
            await Task.Delay(delay, Cancel);
            var answeredBeforeKill = inFlight.IsCompleted;
            await doomed.KillAsync();
            await doomed.DisposeAsync();
            await Assert.ThrowsAnyAsync<Exception>(async () => (await inFlight).EnsureSuccessStatusCode()); // it never answered
            if (writing && !answeredBeforeKill)
            {
                killedMidTransaction++;
            }

            await GoneAsync(applicationName); // PostgreSQL has noticed and rolled back (or it committed first)
            var (activities, events) = await StoredAsync(tag);
            Assert.True(activities is 0 or BatchSize, $"Round {round}: {activities} of {BatchSize} activities survived the kill.");
            Assert.Equal(activities, events);
            leftWhole += activities == BatchSize ? 1 : 0;

            var retried = await client.PostBatchAsync(api.OrgId, batch, key);
            var retriedBody = await retried.ReadJsonAsync(activities == 0 ? HttpStatusCode.Created : HttpStatusCode.OK);
            var replayed = await client.PostBatchAsync(api.OrgId, batch, key);
            var replayedBody = await replayed.ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal("true", replayed.Headers.GetValues("Idempotency-Replayed").Single());
            Assert.Equal(Ids(retriedBody), Ids(replayedBody));
            Assert.Equal((BatchSize, BatchSize), await StoredAsync(tag));
        }

        Assert.True(killedMidTransaction > 0, "No round killed the server while its batch transaction was open.");
        await SecurityReport.RecordAsync("faults: server SIGKILLed mid-batch",
            $"{KillDelaysMilliseconds.Length} kills of a {BatchSize}-item batch ({killedMidTransaction} inside its open transaction): " +
            $"each left all or nothing ({KillDelaysMilliseconds.Length - leftWhole} nothing, {leftWhole} all), each completed exactly once by its Idempotency-Key retry");
    }

    private static object Batch(string tag) => new
    {
        activities = Enumerable.Range(0, BatchSize).Select(i => new
        {
            type = "call",
            title = $"{tag}-{i:0000}",
            contact_id = $"c_{tag}_{i % 50}",
            actor = new { id = $"u_{tag}_{i % 20}", name = $"User {i % 20}" },
            recipients = new[] { $"u_{tag}_{(i + 1) % 20}" },
            metadata = new { n = i, note = new string('x', 200) },
        }).ToArray(),
    };

    private static string[] Ids(JsonElement batch) =>
        batch.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToArray();

    /// <summary>Waits until the doomed server's batch transaction has written a row (true), or the request finished first (false).</summary>
    private async Task<bool> TransactionWritingAsync(string applicationName, Task request)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        for (var polls = 0; polls < 6000 && !request.IsCompleted; polls++)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND backend_xid IS NOT NULL", connection);
            command.Parameters.AddWithValue("name", applicationName);
            if ((long)(await command.ExecuteScalarAsync(Cancel))! > 0)
            {
                return true;
            }

            await Task.Delay(5, Cancel);
        }

        return false;
    }

    private async Task GoneAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        for (var polls = 0; polls < 600; polls++)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
            command.Parameters.AddWithValue("name", applicationName);
            if ((long)(await command.ExecuteScalarAsync(Cancel))! == 0)
            {
                return;
            }

            await Task.Delay(50, Cancel);
        }

        Assert.Fail($"The killed server's sessions ({applicationName}) are still open after 30 s.");
    }

    private async Task<(long Activities, long Events)> StoredAsync(string tag)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM activities WHERE org_id = @org AND title LIKE @tag),
                   (SELECT count(*) FROM change_events e JOIN activities a ON a.org_id = e.org_id AND a.id = e.activity_id
                    WHERE e.org_id = @org AND a.title LIKE @tag)
            """, connection);
        command.Parameters.AddWithValue("org", api.OrgId);
        command.Parameters.AddWithValue("tag", tag + "-%");
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        await reader.ReadAsync(Cancel);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
