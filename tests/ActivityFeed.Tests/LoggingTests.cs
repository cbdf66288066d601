using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class LoggingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoKeyOrTokenAppearsInAnyLogLine()
    {
        var path = $"/orgs/{api.OrgId}/api-keys";
        var created = await (await api.AdminClient().PostAsJsonAsync(path, new { name = "secret-holder", scopes = new[] { "admin" } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var newKey = created.GetProperty("key").GetString()!;
        await api.ClientWithKey(newKey).GetAsync($"{path}?access_token={Uri.EscapeDataString(newKey)}", Cancel);
        await api.ClientWithKey(newKey + "x").GetAsync(path, Cancel);
        await api.ClientWithKey(api.AdminKey).GetAsync("/orgs/other/api-keys", Cancel);
        await api.ClientWithKey(api.AdminKey).PostAsync(path, HttpAssertions.Json("{broken"), Cancel);

        Assert.NotEmpty(api.Logs.Lines);
        foreach (var secret in new[] { api.AdminKey, newKey, newKey.Split('.')[2] })
        {
            Assert.DoesNotContain(api.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task EveryRequestLogLineCarriesARequestId()
    {
        await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/api-keys", Cancel);
        var requestLines = api.Logs.Lines.Where(l => l.Contains("\"RequestPath\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(requestLines);
        Assert.All(requestLines, line => Assert.Contains("\"RequestId\"", line, StringComparison.Ordinal));
    }
}
