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

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")] // "short": 5 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")] // 31 bytes
    public async Task AnUnusableCursorSecretStopsTheServerAtStartUp(string secret)
    {
        await using var host = new ConfiguredHost("ActivityFeed:CursorSecret", secret);
        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("ActivityFeed:CursorSecret", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AThirtyTwoByteCursorSecretStarts()
    {
        await using var host = new ConfiguredHost("ActivityFeed:CursorSecret", Convert.ToBase64String(new byte[32]));
        using var client = host.CreateClient();
        Assert.NotNull(client);
    }
}
