using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>A request's log line says what the client got: its status, at Error only for a 5xx.</summary>
public sealed class RequestLogLevelTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The request lines of <paramref name="path"/> as (status, level); CompactJsonFormatter leaves out "@l" for Information.</summary>
    private List<(int Status, string Level)> RequestLines(string path) => api.Logs.Lines
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(e => e.TryGetProperty("RequestPath", out var p) && p.GetString() == path && e.TryGetProperty("StatusCode", out _))
        .Select(e => (e.GetProperty("StatusCode").GetInt32(), e.TryGetProperty("@l", out var l) ? l.GetString()! : "Information"))
        .ToList();

    [Theory]
    [InlineData("{broken")]
    [InlineData("""{"name":"x","scopes":["admin"],"colour":"red"}""")]
    [InlineData("""{"name":12,"scopes":["admin"]}""")]
    public async Task ABadBodyAnswered400IsLogged400BelowError(string body)
    {
        var org = await api.CreateOrgAsync("Bad bodies");
        var path = $"/orgs/{org.OrgId}/api-keys";
        await (await api.ClientWithKey(org.ApiKey).PostAsync(path, HttpAssertions.Json(body), Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest);

        var (status, level) = Assert.Single(RequestLines(path));
        Assert.Equal(400, status);
        Assert.Contains(level, new[] { "Information", "Warning" });
        Assert.DoesNotContain(api.Logs.Lines, line => line.Contains(org.OrgId, StringComparison.Ordinal) && line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnexpectedFailureIsLogged500AtError()
    {
        var org = await api.CreateOrgAsync("Broken database");
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            // A bug the server cannot map to a client error: the table it reads is gone.
            await using var command = new NpgsqlCommand("ALTER TABLE activity_types RENAME TO activity_types_gone", connection);
            await command.ExecuteNonQueryAsync(Cancel);
        }

        var path = $"/orgs/{org.OrgId}/activity-types";
        await (await api.ClientWithKey(org.ApiKey).GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.InternalServerError);

        var (status, level) = Assert.Single(RequestLines(path));
        Assert.Equal(500, status);
        Assert.Equal("Error", level);
    }
}
