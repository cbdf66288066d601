using ActivityFeed.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ActivityFeed.Tests;

/// <summary>Configuration the server cannot work with stops it at start-up, with a message naming the setting.</summary>
public sealed class StartupValidationTests
{
    /// <summary>A host that never reaches the database: it must fail before it would need one.</summary>
    private sealed class ConfiguredHost(string key, string value) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:ActivityFeed", "Host=127.0.0.1;Port=1;Database=none;Timeout=1");
            builder.UseSetting("ActivityFeed:MigrateOnStartup", "false");
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// The real server process: it must exit non-zero and say which setting is wrong, without
    /// echoing the secret. (In-process hosts share a test process and, on a loaded machine, a
    /// neighbour's disposal could hide the start-up failure behind an ObjectDisposedException.)
    /// </summary>
    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")] // "short": 5 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")] // 31 bytes
    public async Task AnUnusableCursorSecretStopsTheServerAtStartUp(string secret)
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:ActivityFeed"] = "Host=127.0.0.1;Port=1;Database=none;Timeout=1",
            ["ActivityFeed:MigrateOnStartup"] = "false",
            ["ActivityFeed:CursorSecret"] = secret,
        });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("ActivityFeed:CursorSecret", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AThirtyTwoByteCursorSecretStarts()
    {
        await using var host = new ConfiguredHost("ActivityFeed:CursorSecret", Convert.ToBase64String(new byte[32]));
        using var client = host.CreateClient();
        Assert.NotNull(client);
    }
}
