namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// The built server as its own process over this class's database, behind a <see cref="ValidatingProxy"/>:
/// what the generated clients' tests talk to. Each test reads the proxy's verdict on its own exchanges.
/// </summary>
public sealed class ValidatedServer(PostgresServer postgres) : ApiFactory(postgres), IAsyncLifetime
{
    private ServerProcess? _server;
    private ValidatingProxy? _proxy;

    public ValidatingProxy Proxy => _proxy ?? throw new InvalidOperationException("Not started.");

    public new async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _server = await ServerProcess.StartAsync(ConnectionString);
        _proxy = await ValidatingProxy.StartAsync(_server.Url);
    }

    /// <summary>
    /// Fails unless the proxy validated at least <paramref name="expected"/> answers since
    /// <paramref name="mark"/> and found nothing wrong; records the count where the run asked
    /// (ACTIVITYFEED_VALIDATION_REPORT, which scripts/test.sh prints).
    /// </summary>
    public async Task<int> AssertEveryAnswerValidatedAsync(int mark, int expected, string walk)
    {
        await Proxy.SettleAsync();
        var (validated, problems) = Proxy.Since(mark);
        validated--; // the settling probe
        Assert.True(problems.Count == 0, $"The validating proxy found answers (or requests) that disagree with openapi/v1.json:\n{string.Join('\n', problems)}");
        Assert.True(validated >= expected, $"Only {validated} answers went through the validating proxy; the {walk} walk makes at least {expected}.");
        if (Environment.GetEnvironmentVariable("ACTIVITYFEED_VALIDATION_REPORT") is { Length: > 0 } report)
        {
            await File.AppendAllTextAsync(report, $"{walk}: {validated} responses validated against openapi/v1.json, 0 violations\n", ActivityClient.Cancel);
        }

        TestContext.Current.SendDiagnosticMessage($"{walk}: {validated} responses validated against openapi/v1.json");
        return validated;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
