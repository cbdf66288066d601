using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Api.Webhooks;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Tests;

/// <summary>§9 SSRF: only public addresses, at registration and at every connect; loopback only when allowed.</summary>
public sealed class WebhookAddressTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("https://192.168.1.20/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://0.0.0.0/")]
    public async Task RegisteringANonPublicAddressIsA400WhenPrivateNetworksAreNotAllowed(string url)
    {
        var response = await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/webhooks", new { url }, Cancel);
        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("public", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Theory]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("127.8.9.10", true, true)]
    [InlineData("::1", true, true)]
    [InlineData("::ffff:127.0.0.1", true, true)]
    [InlineData("10.0.0.1", true, false)]
    [InlineData("172.16.5.4", true, false)]
    [InlineData("192.168.0.1", true, false)]
    [InlineData("169.254.169.254", true, false)]
    [InlineData("100.64.0.1", true, false)]
    [InlineData("224.0.0.251", true, false)]
    [InlineData("255.255.255.255", true, false)]
    [InlineData("fe80::1", true, false)]
    [InlineData("fc00::1", true, false)]
    [InlineData("ff02::1", true, false)]
    [InlineData("::ffff:169.254.169.254", true, false)]
    [InlineData("64:ff9b::a00:1", true, false)]
    [InlineData("2002:a00:1::", true, false)]
    [InlineData("93.184.215.14", false, true)]
    [InlineData("2606:4700::1111", false, true)]
    [InlineData("::ffff:93.184.215.14", false, true)]
    public void OnlyPublicUnicastAddressesAreAllowed(string address, bool allowLoopback, bool allowed) =>
        Assert.Equal(allowed, PublicAddresses.IsAllowed(IPAddress.Parse(address), allowLoopback));

    [Fact]
    public async Task AConnectToANameThatResolvesToLoopbackIsRefusedAtConnectTime()
    {
        // What registration would have let through (an unresolvable name, or one re-pointed since)
        // is checked again on the address actually dialled.
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var guard = new WebhookAddressGuard(Options.Create(new WebhookOptions { AllowLoopback = false }));
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, UseProxy = false });
        var failed = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://localhost:{port}/hook", new StringContent("{}"), Cancel));
        var refused = Assert.IsType<WebhookAddressRefusedException>(failed.InnerException);
        Assert.Contains("not a public address", refused.Message);
        Assert.Empty(receiver.All);

        var allowing = new WebhookAddressGuard(Options.Create(new WebhookOptions { AllowLoopback = true }));
        using var allowed = new HttpClient(new SocketsHttpHandler { ConnectCallback = allowing.ConnectAsync, UseProxy = false });
        Assert.Equal(HttpStatusCode.OK, (await allowed.PostAsync($"http://localhost:{port}/hook", new StringContent("{}"), Cancel)).StatusCode);
    }
}

/// <summary>With <c>AllowLoopback</c>, loopback registers; private and link-local still do not.</summary>
public sealed class WebhookLoopbackAllowedTests(WebhookFactory api) : IClassFixture<WebhookFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://127.0.0.1:9/", HttpStatusCode.Created)]
    [InlineData("http://[::1]:9/", HttpStatusCode.Created)]
    [InlineData("http://10.0.0.1/", HttpStatusCode.BadRequest)]
    [InlineData("http://169.254.169.254/", HttpStatusCode.BadRequest)]
    [InlineData("http://192.168.1.1/", HttpStatusCode.BadRequest)]
    public async Task LoopbackIsAllowedButPrivateAndLinkLocalAreNot(string url, HttpStatusCode expected) =>
        await (await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/webhooks", new { url }, Cancel)).ReadJsonAsync(expected);
}
