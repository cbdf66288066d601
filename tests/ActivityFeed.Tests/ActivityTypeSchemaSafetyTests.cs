using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>A registered schema cannot make the server fetch URLs, pin a core on a regex, or turn writes into 500s.</summary>
public sealed class ActivityTypeSchemaSafetyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> PutSchemaAsync(string type, string schemaJson) =>
        api.AdminClient().PutAsync($"/orgs/{api.OrgId}/activity-types/{type}", HttpAssertions.Json($$"""{"metadata_schema":{{schemaJson}}}"""), Cancel);

    [Fact]
    public async Task ARemoteRefIs400AtPutAndItsUrlIsNeverContacted()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var contacts = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var connection = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref contacts); // closed at once, so a fetching server fails rather than waits
            }
        }, Cancel);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var response = await PutSchemaAsync("remote.ref", """{"type":"object","properties":{"a":{"$ref":"http://127.0.0.1:""" + port + """/x"}}}""");

        Assert.Equal(0, contacts);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata_schema.properties.a.$ref", out _), problem.GetRawText());
        await stop.CancelAsync();
        try
        {
            await accepting; // ends without an exception when it had not started accepting yet
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(0, contacts);
    }

    [Theory]
    [InlineData("""{"$ref":"http://127.0.0.1:9/x"}""", "metadata_schema.$ref")]
    [InlineData("""{"definitions":{"d":{"$ref":"https://example.com/schema.json"}},"properties":{"a":{"$ref":"#/definitions/d"}}}""", "metadata_schema.definitions.d.$ref")]
    [InlineData("""{"properties":{"a":{"items":[{"$ref":"other.json#/x"}]}}}""", "metadata_schema.properties.a.items[0].$ref")]
    [InlineData("""{"allOf":[{"$ref":"file:///etc/passwd"}]}""", "metadata_schema.allOf[0].$ref")]
    public async Task EveryNonLocalRefIs400NamingItsPath(string schema, string field)
    {
        var problem = await (await PutSchemaAsync("remote.refs", schema)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task LocalRefsStillWork()
    {
        await (await PutSchemaAsync("local.ref", """{"definitions":{"code":{"type":"string","pattern":"^[A-Z]{3}$"}},"properties":{"a":{"$ref":"#/definitions/code"}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "local.ref", metadata = new { a = "EUR" } });
        var problem = await (await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "local.ref", metadata = new { a = "euro" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.a", out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"properties":{"code":{"type":"string","pattern":"("}}}""", "metadata_schema.properties.code.pattern")]
    [InlineData("""{"patternProperties":{"(":{"type":"string"}}}""", "metadata_schema.patternProperties.(")]
    [InlineData("""{"properties":{"code":{"pattern":"(a)\\1"}}}""", "metadata_schema.properties.code.pattern")]
    public async Task AnUnusablePatternIs400AtPut(string schema, string field)
    {
        var problem = await (await PutSchemaAsync("bad.pattern", schema)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task ABacktrackingPatternAnswersQuicklyWith400()
    {
        await (await PutSchemaAsync("slow.pattern", """{"properties":{"code":{"type":"string","pattern":"^(a+)+$"}},"patternProperties":{"^(a+)+$":{"type":"integer"}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var evil = new string('a', 40) + "!";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();

        var value = await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/activities", new { type = "slow.pattern", metadata = new { code = evil } }, deadline.Token);
        var member = await api.AdminClient().PostAsync($"/orgs/{api.OrgId}/activities",
            HttpAssertions.Json($$$"""{"type":"slow.pattern","metadata":{"{{{evil}}}":"not checked: the name does not match"}}"""), deadline.Token);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        var problem = await value.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.code", out _), problem.GetRawText());
        await member.ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task PatternsAndPatternPropertiesKeepTheirMeaning()
    {
        await (await PutSchemaAsync("coded.thing", """
            {"type":"object","properties":{"currency":{"type":"string","pattern":"^[A-Z]{3}$"}},
             "patternProperties":{"^x_":{"type":"integer"},"_n$":{"minimum":0}},"additionalProperties":false}
            """)).ReadJsonAsync(HttpStatusCode.Created);
        await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "coded.thing", metadata = new { currency = "EUR", x_a = 1, x_b_n = 2 } });

        var problem = await (await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "coded.thing", metadata = new { currency = "eu", x_a = "s", x_n = -1, y = 1 } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "metadata.currency", "metadata.x_a", "metadata.x_n", "metadata.y" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field}: {problem.GetRawText()}");
        }
    }

    [Fact]
    public async Task AStoredSchemaThatCannotBeUsedMakesWritesOfItsType400Not500()
    {
        await (await PutSchemaAsync("stored.remote", """{"type":"object"}""")).ReadJsonAsync(HttpStatusCode.Created);
        // As a registration from before remote references were refused would have stored it.
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var command = new NpgsqlCommand(
                """UPDATE activity_types SET metadata_schema = '{"properties":{"a":{"$ref":"http://127.0.0.1:9/x"}}}', updated_at = now() WHERE org_id = @org AND name = 'stored.remote'""",
                connection);
            command.Parameters.AddWithValue("org", api.OrgId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
        }

        var problem = await (await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "stored.remote", metadata = new { a = 1 } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("register it again", problem.GetProperty("errors").GetProperty("metadata")[0].GetString(), StringComparison.Ordinal);
    }
}
