using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>The server binary's operator verbs, run as a separate process the way an operator would.</summary>
public sealed class CommandLineTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BootstrapPrintsOneJsonLineWithAWorkingAdminKey()
    {
        var (exit, stdout, _) = await RunServerAsync("bootstrap", "--org-name", "Acme", "--org-id", "acme-cli");
        Assert.Equal(0, exit);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var printed = JsonDocument.Parse(line).RootElement;
        Assert.Equal("acme-cli", printed.GetProperty("org_id").GetString());
        var key = printed.GetProperty("api_key").GetString();

        var response = await api.ClientWithKey(key).GetAsync("/orgs/acme-cli/api-keys", Cancel);
        var list = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task BootstrapRefusesAnExistingOrgId()
    {
        var (exit, stdout, stderr) = await RunServerAsync("bootstrap", "--org-name", "Again", "--org-id", api.OrgId);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BootstrapWithoutANameShowsUsage()
    {
        var (exit, _, stderr) = await RunServerAsync("bootstrap");
        Assert.Equal(2, exit);
        Assert.Contains("usage", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainFeedPrintsThePlanOfAFeedPage()
    {
        var (exit, stdout, stderr) = await RunServerAsync("explain-feed", "--org", api.OrgId, "--query", "contact_id=c1&type=call&take=10");
        Assert.True(exit == 0, stderr);
        Assert.Contains("contact_id", stdout, StringComparison.Ordinal);
        Assert.Contains("Execution Time", stdout, StringComparison.Ordinal);

        var (badExit, _, badStderr) = await RunServerAsync("explain-feed", "--org", api.OrgId, "--query", "sort_by=title");
        Assert.Equal(2, badExit);
        Assert.Contains("sort_by", badStderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateSucceedsOnAnUpToDateDatabase()
    {
        var (exit, _, stderr) = await RunServerAsync("migrate");
        Assert.True(exit == 0, stderr);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunServerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__ActivityFeed"] = api.RuntimeConnectionString;
        start.Environment["ConnectionStrings__ActivityFeedMigrations"] = api.ConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await stdout, await stderr);
    }
}
