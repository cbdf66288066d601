namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// The adversarial suites' counts (requests tried, 5xx, leaks, faults survived), one line per
/// suite, appended where the run asked (ACTIVITYFEED_SECURITY_REPORT, which scripts/test.sh prints
/// and docs/security.md quotes) and sent to the test output either way.
/// </summary>
public static class SecurityReport
{
    public const string Variable = "ACTIVITYFEED_SECURITY_REPORT";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task RecordAsync(string suite, string counts)
    {
        var line = $"{suite}: {counts}";
        TestContext.Current.SendDiagnosticMessage(line);
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } report)
        {
            return;
        }

        await Gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await File.AppendAllTextAsync(report, line + "\n", TestContext.Current.CancellationToken);
        }
        finally
        {
            Gate.Release();
        }
    }
}
