using System.Net;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActivityFeed.Tests;

public sealed class IdempotencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task RepeatedKeyWithTheSameBodyReplaysTheOriginal()
    {
        var org = await api.CreateOrgAsync("Replay");
        var client = api.ClientWithKey(org.ApiKey);
        var first = await client.PostActivityAsync(org.OrgId, new { type = "call", title = "hello" }, "key-1");
        var original = await first.ReadJsonAsync(HttpStatusCode.Created);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));

        var second = await client.PostActivityAsync(org.OrgId, new { type = "call", title = "hello" }, "key-1");
        var replay = await second.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("true", second.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(original.GetProperty("id").GetString(), replay.GetProperty("id").GetString());
        Assert.Equal(original.GetProperty("created_at").GetString(), replay.GetProperty("created_at").GetString());
        Assert.Equal(1, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task AReplayIsByteForByteTheFirstAnswerEnrichedFromTheDirectory()
    {
        var body = new { type = "call", title = "enriched", actor = new { id = "u_replay", name = "Rita" }, segment = new { id = "s_replay", name = "VIP", color = "red" } };
        var first = await api.AdminClient().PostActivityAsync(api.OrgId, body, "replay-bytes");
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("\"Rita\"", firstBody, StringComparison.Ordinal);

        var replay = await api.AdminClient().PostActivityAsync(api.OrgId, body, "replay-bytes");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RepeatedKeyWithAnotherBodyIs422AndCreatesNothing()
    {
        var org = await api.CreateOrgAsync("Conflict");
        var client = api.ClientWithKey(org.ApiKey);
        await (await client.PostActivityAsync(org.OrgId, new { type = "call", title = "one" }, "key-2")).ReadJsonAsync(HttpStatusCode.Created);
        await (await client.PostActivityAsync(org.OrgId, new { type = "call", title = "two" }, "key-2")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task TheSameKeyOnAnotherEndpointIs422()
    {
        var org = await api.CreateOrgAsync("Endpoints");
        var client = api.ClientWithKey(org.ApiKey);
        await (await client.PostActivityAsync(org.OrgId, new { type = "call" }, "key-3")).ReadJsonAsync(HttpStatusCode.Created);
        await (await client.PostBatchAsync(org.OrgId, new { activities = new[] { new { type = "call" } } }, "key-3"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task KeysAreScopedToTheOrg()
    {
        var first = await api.CreateOrgAsync("Org A");
        var second = await api.CreateOrgAsync("Org B");
        await (await api.ClientWithKey(first.ApiKey).PostActivityAsync(first.OrgId, new { type = "call" }, "shared-key")).ReadJsonAsync(HttpStatusCode.Created);
        await (await api.ClientWithKey(second.ApiKey).PostActivityAsync(second.OrgId, new { type = "call" }, "shared-key")).ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task BatchReplaysWithItsKey()
    {
        var org = await api.CreateOrgAsync("Batch replay");
        var client = api.ClientWithKey(org.ApiKey);
        var body = new { activities = new[] { new { type = "call" }, new { type = "meeting" } } };
        var original = await (await client.PostBatchAsync(org.OrgId, body, "batch-key")).ReadJsonAsync(HttpStatusCode.Created);
        var replay = await (await client.PostBatchAsync(org.OrgId, body, "batch-key")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(original.GetProperty("items").GetRawText(), replay.GetProperty("items").GetRawText());
        Assert.Equal(2, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task RepeatedExternalIdWithTheSameBodyReplaysAndWithAnotherIs422()
    {
        var org = await api.CreateOrgAsync("External ids");
        var client = api.ClientWithKey(org.ApiKey);
        var original = await (await client.PostActivityAsync(org.OrgId, new { type = "call", external_id = "crm-1" })).ReadJsonAsync(HttpStatusCode.Created);
        var again = await client.PostActivityAsync(org.OrgId, new { type = "call", external_id = "crm-1" });
        Assert.Equal(original.GetProperty("id").GetString(), (await again.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("id").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        var problem = await (await client.PostActivityAsync(org.OrgId, new { type = "meeting", external_id = "crm-1" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("external_id", out _));
        Assert.Equal(1, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task BatchItemRepeatingAnExternalIdComesBackAsTheExistingActivity()
    {
        var org = await api.CreateOrgAsync("Batch external");
        var client = api.ClientWithKey(org.ApiKey);
        var existing = await (await client.PostActivityAsync(org.OrgId, new { type = "call", external_id = "e-1" })).ReadJsonAsync(HttpStatusCode.Created);
        var batch = await (await client.PostBatchAsync(org.OrgId, new { activities = new object[] { new { type = "call", external_id = "e-1" }, new { type = "call", external_id = "e-2" } } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(existing.GetProperty("id").GetString(), batch.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(2, await api.CountActivitiesAsync(org.OrgId));

        var conflicting = await client.PostBatchAsync(org.OrgId, new { activities = new object[] { new { type = "call", external_id = "e-3" }, new { type = "meeting", external_id = "e-2" } } });
        var problem = await conflicting.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("activities[1].external_id", out _), problem.GetRawText());
        Assert.Equal(2, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task FiftyConcurrentIdenticalRequestsWithOneKeyCreateExactlyOneRow()
    {
        var org = await api.CreateOrgAsync("Concurrent key");
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            api.ClientWithKey(org.ApiKey).PostActivityAsync(org.OrgId, new { type = "call", title = "once" }, "concurrent-key")));

        Assert.Equal(1, await api.CountActivitiesAsync(org.OrgId));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var ids = new HashSet<string>();
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Conflict))
        {
            ids.Add((await response.ReadJsonAsync(response.StatusCode)).GetProperty("id").GetString()!);
        }

        Assert.Single(ids);
    }

    [Fact]
    public async Task FiftyConcurrentIdenticalRequestsWithOneExternalIdCreateExactlyOneRow()
    {
        var org = await api.CreateOrgAsync("Concurrent external");
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            api.ClientWithKey(org.ApiKey).PostActivityAsync(org.OrgId, new { type = "call", external_id = "same-event" })));
        Assert.Equal(1, await api.CountActivitiesAsync(org.OrgId));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    public async Task KeyOutsideOneTo255CharactersIs400(string shape)
    {
        var key = shape.Length == 0 ? new string('k', 256) : "bad\u0001key";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/orgs/{api.OrgId}/activities") { Content = HttpAssertions.Json("""{"type":"call"}""") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await api.AdminClient().SendAsync(request, ActivityClient.Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }
}

public sealed class IdempotencyKeyExpiryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task AnExpiredKeyNoLongerReplaysAndIsSwept()
    {
        var org = await api.CreateOrgAsync("Expiry");
        var client = api.ClientWithKey(org.ApiKey);
        var first = await (await client.PostActivityAsync(org.OrgId, new { type = "call" }, "old-key")).ReadJsonAsync(HttpStatusCode.Created);

        // Age the key past its 24 hours, as time would.
        await using (var connection = new Npgsql.NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync(ActivityClient.Cancel);
            await using var age = new Npgsql.NpgsqlCommand("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'", connection);
            Assert.Equal(1, await age.ExecuteNonQueryAsync(ActivityClient.Cancel));
        }

        var second = await (await client.PostActivityAsync(org.OrgId, new { type = "meeting" }, "old-key")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        await using (var connection = new Npgsql.NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync(ActivityClient.Cancel);
            await using var age = new Npgsql.NpgsqlCommand("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'", connection);
            await age.ExecuteNonQueryAsync(ActivityClient.Cancel);
        }

        var sweeper = api.Services.GetRequiredService<ActivityFeed.Api.Activities.Idempotency.IdempotencyKeySweeper>();
        Assert.True(await sweeper.SweepAsync(ActivityClient.Cancel) >= 1);
        Assert.Equal(0, await sweeper.SweepAsync(ActivityClient.Cancel));
    }
}
