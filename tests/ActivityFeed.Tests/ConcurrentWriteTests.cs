using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// Concurrent writes to the same rows: PATCHes of one activity are applied one after another
/// (each sees every earlier one; none is lost), a PATCH racing a DELETE loses cleanly, and
/// overlapping batches write each activity once.
/// </summary>
public sealed class ConcurrentWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int Patches = 24;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentPatchesOfOneActivityAreAppliedOneAfterAnotherAndNoneIsLost()
    {
        var id = (await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call", title = "t_start" })).GetProperty("id").GetString()!;

        var answers = await Task.WhenAll(Enumerable.Range(0, Patches).Select(i => Task.Run(async () =>
            await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, JsonSerializer.Serialize(new Dictionary<string, object> { ["title"] = $"t{i}", ["metadata"] = new Dictionary<string, int> { [$"k{i}"] = i } })))
                .ReadJsonAsync(HttpStatusCode.OK), Cancel)));

        // Each answer shows its own change on top of all that committed before it: their metadata
        // key sets form one chain of 1, 2, …, 24 keys, so no PATCH overwrote another's.
        var chain = answers.Select(a => (Keys: a.GetProperty("metadata").EnumerateObject().Select(p => p.Name).ToHashSet(), Title: a.GetProperty("title").GetString()!))
            .OrderBy(a => a.Keys.Count).ToArray();
        Assert.Equal(Enumerable.Range(1, Patches), chain.Select(a => a.Keys.Count));
        for (var i = 1; i < chain.Length; i++)
        {
            Assert.True(chain[i - 1].Keys.IsSubsetOf(chain[i].Keys));
        }

        var final = await api.AdminClient().GetFromJsonAsync<JsonElement>($"/orgs/{api.OrgId}/activities/{id}", Cancel);
        Assert.Equal(Patches, final.GetProperty("metadata").EnumerateObject().Count());
        Assert.Equal(chain[^1].Title, final.GetProperty("title").GetString()); // the last applied title stands
        Assert.Equal(Patches, await EventsAsync(id, "updated"));

        await SecurityReport.RecordAsync("faults: concurrent PATCHes of one activity",
            $"{Patches} at once: applied one after another, 0 lost, {Patches} change events");
    }

    [Fact]
    public async Task APatchRacingADeleteIsEitherAppliedBeforeItOrANotFound()
    {
        var id = (await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call", title = "doomed" })).GetProperty("id").GetString()!;
        var patches = Enumerable.Range(0, 12).Select(i => Task.Run(() => api.AdminClient().PatchActivityAsync(api.OrgId, id, $$"""{"title":"p{{i}}"}"""), Cancel)).ToList();
        var delete = Task.Run(() => api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel), Cancel);
        var statuses = (await Task.WhenAll(patches)).Select(r => r.StatusCode).ToArray();

        Assert.Equal(HttpStatusCode.NoContent, (await delete).StatusCode);
        Assert.All(statuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"A racing PATCH was answered {status}."));
        Assert.Equal(HttpStatusCode.NotFound, (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).StatusCode);
        // Every applied PATCH is in the log before the delete, and nothing after it.
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), await EventsAsync(id, "updated"));
        Assert.Equal("deleted", await LastEventAsync(id));
    }

    [Fact]
    public async Task OverlappingBatchesWriteEachExternalIdOnceAndAgreeOnItsActivity()
    {
        const int batches = 4, perBatch = 100, pool = 200; // each batch shares half its items with the next
        object Item(int n) => new { type = "call", title = $"overlap {n}", external_id = $"ext-overlap-{n}", contact_id = $"c_overlap_{n % 7}" };
        var bodies = Enumerable.Range(0, batches)
            .Select(b => new { activities = Enumerable.Range(0, perBatch).Select(j => Item((b * (perBatch / 2) + j) % pool)).ToArray() })
            .ToArray();

        var answered = await Task.WhenAll(bodies.Select(body => Task.Run(() => UntilWrittenAsync(() => api.AdminClient().PostBatchAsync(api.OrgId, body)), Cancel)));

        var idByExternalId = new Dictionary<string, string>();
        foreach (var item in answered.SelectMany(a => a.Body.GetProperty("items").EnumerateArray()))
        {
            var externalId = item.GetProperty("external_id").GetString()!;
            var id = item.GetProperty("id").GetString()!;
            Assert.Equal(idByExternalId.GetValueOrDefault(externalId, id), id); // every batch names the same activity
            idByExternalId[externalId] = id;
        }

        Assert.Equal(pool, idByExternalId.Count);
        Assert.Equal(pool, await CountAsync("SELECT count(*) FROM activities WHERE org_id = @org AND external_id LIKE 'ext-overlap-%'"));
        Assert.Equal(pool, await CountAsync(
            "SELECT count(*) FROM change_events e JOIN activities a ON a.org_id = e.org_id AND a.id = e.activity_id WHERE e.org_id = @org AND a.external_id LIKE 'ext-overlap-%'"));

        await SecurityReport.RecordAsync("faults: overlapping concurrent batches",
            $"{batches} batches of {perBatch} at once over {pool} external ids ({answered.Sum(a => a.Retries)} answered 409 + Retry-After and retried): each activity written once, 0 duplicates");
    }

    [Fact]
    public async Task ConcurrentBatchesWithOneIdempotencyKeyWriteItOnce()
    {
        var body = new { activities = Enumerable.Range(0, 100).Select(i => new { type = "call", title = $"same key {i}", contact_id = "c_same_key" }).ToArray() };
        var answered = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => UntilWrittenAsync(() => api.AdminClient().PostBatchAsync(api.OrgId, body, "one-key-four-senders")), Cancel)));

        Assert.Single(answered, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answered.Select(a => string.Join(',', a.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()))).Distinct());
        Assert.Equal(100, await CountAsync("SELECT count(*) FROM activities WHERE org_id = @org AND title LIKE 'same key %'"));
    }

    /// <summary>Sends until the write is answered with its result; a 409 must carry Retry-After, and nothing else but 200/201 is accepted.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body, int Retries)> UntilWrittenAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var retries = 0; retries < 20; retries++)
        {
            var response = await send();
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Cancel), retries);
            }

            await response.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.NotNull(response.Headers.RetryAfter);
            await Task.Delay(200, Cancel);
        }

        throw new InvalidOperationException("A write was still in conflict after 20 retries.");
    }

    private async Task<long> EventsAsync(string activityId, string kind) =>
        await CountAsync($"SELECT count(*) FROM change_events WHERE org_id = @org AND activity_id = '{activityId}' AND kind = '{kind}'");

    private async Task<string?> LastEventAsync(string activityId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT kind FROM change_events WHERE org_id = @org AND activity_id = @id ORDER BY position DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("org", api.OrgId);
        command.Parameters.AddWithValue("id", activityId);
        return (string?)await command.ExecuteScalarAsync(Cancel);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("org", api.OrgId);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
