using System.Net;
using System.Text;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ActivityFeed.Tests;

/// <summary>A tiny failed-authentication bucket: 2 failures per client address, then 1 a minute.</summary>
public sealed class FailedAuthLimitedApiFactory(PostgresServer server) : ApiFactory(server)
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ActivityFeed:RateLimit:Enabled"] = "true",
        ["ActivityFeed:RateLimit:FailedAuthPerMinute"] = "1",
        ["ActivityFeed:RateLimit:FailedAuthBurst"] = "2",
    };
}

public sealed class FailedAuthenticationLimitTests(FailedAuthLimitedApiFactory api) : IClassFixture<FailedAuthLimitedApiFactory>
{
    private string BadKey => api.AdminKey[..^1] + (api.AdminKey[^1] == 'A' ? 'B' : 'A');

    private string KeysPath => $"/orgs/{api.OrgId}/api-keys";

    /// <summary>A GET as the server sees it from <paramref name="address"/>; the test client has no address of its own.</summary>
    private async Task<(int Status, string? RetryAfter, string Body)> GetFromAsync(string address, string path, string? token)
    {
        var context = await api.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = path;
            http.Connection.RemoteIpAddress = IPAddress.Parse(address);
            if (token is not null)
            {
                http.Request.Headers.Authorization = $"Bearer {token}";
            }
        }, ActivityClient.Cancel);
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        return (context.Response.StatusCode, context.Response.Headers.RetryAfter.FirstOrDefault(), await reader.ReadToEndAsync(ActivityClient.Cancel));
    }

    [Fact]
    public async Task AnAddressOverItsFailedAuthenticationsGets429WithRetryAfterAndNoLookup()
    {
        Assert.Equal(401, (await GetFromAsync("10.0.0.1", KeysPath, BadKey)).Status);
        Assert.Equal(401, (await GetFromAsync("10.0.0.1", KeysPath, BadKey)).Status);

        var commandsBefore = api.Commands.Count;
        var (status, retryAfter, body) = await GetFromAsync("10.0.0.1", KeysPath, BadKey);

        Assert.True(status == 429, $"{status}: {body}");
        Assert.Equal(commandsBefore, api.Commands.Count);
        Assert.True(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= 1, retryAfter);
        Assert.Contains("\"trace_id\"", body, StringComparison.Ordinal);
        Assert.Contains("\"status\":429", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsWithoutATokenCountAsFailures()
    {
        Assert.Equal(401, (await GetFromAsync("10.0.0.2", KeysPath, null)).Status);
        Assert.Equal(401, (await GetFromAsync("10.0.0.2", KeysPath, null)).Status);
        Assert.Equal(429, (await GetFromAsync("10.0.0.2", KeysPath, null)).Status);
    }

    [Fact]
    public async Task OtherAddressesAndAnonymousEndpointsAreUnaffected()
    {
        for (var i = 0; i < 3; i++)
        {
            await GetFromAsync("10.0.0.3", KeysPath, BadKey);
        }

        Assert.Equal(429, (await GetFromAsync("10.0.0.3", KeysPath, BadKey)).Status);
        Assert.Equal(200, (await GetFromAsync("10.0.0.3", "/health/live", null)).Status);
        Assert.Equal(200, (await GetFromAsync("10.0.0.4", KeysPath, api.AdminKey)).Status);
        Assert.Equal(401, (await GetFromAsync("10.0.0.4", KeysPath, BadKey)).Status);
    }

    [Fact]
    public async Task ValidTokensDoNotUseTheBucket()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await GetFromAsync("10.0.0.5", KeysPath, api.AdminKey)).Status);
        }

        Assert.Equal(401, (await GetFromAsync("10.0.0.5", KeysPath, BadKey)).Status);
    }
}
