using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// Prism (tools/node_modules, pinned in tools/package-lock.json) as a validating proxy in front of
/// a live server: it checks every request and every answer against openapi/v1.json (status
/// documented for the operation, body against its schema, documented headers), and with
/// <c>--errors</c> turns any violation into an error answer and an error line in its log. Tests
/// route a generated client through <see cref="Url"/> and then read <see cref="Since"/>.
/// </summary>
public sealed partial class ValidatingProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private ValidatingProxy(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static async Task<ValidatingProxy> StartAsync(string upstream)
    {
        var root = LocalMachine.RepositoryRoot();
        var prism = Path.Combine(root, "tools", "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
        if (!File.Exists(prism))
        {
            throw new FileNotFoundException($"Prism is missing: run `npm ci` in tools/ (scripts/test.sh does). {prism}");
        }

        var port = LocalMachine.FreePort();
        var start = new ProcessStartInfo("node", [prism, "proxy", Path.Combine(root, "openapi", "v1.json"), upstream, "--errors", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var proxy = new ValidatingProxy(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, line) => proxy.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => proxy.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (proxy.Lines(0).Any(line => line.Contains("Prism is listening", StringComparison.Ordinal)))
            {
                return proxy;
            }

            await Task.Delay(200, ActivityClient.Cancel);
        }

        var output = string.Join('\n', proxy.Lines(0));
        await proxy.DisposeAsync();
        throw new InvalidOperationException($"Prism did not start:\n{output}");
    }

    /// <summary>Where the log stands now; pass it to <see cref="Since"/> after the exchanges.</summary>
    public int Mark() => Lines(0).Count;

    /// <summary>
    /// Waits until Prism has logged everything before now: its log reaches this process after the
    /// answers do, so one more request (a marked liveness probe) goes through, and its end is awaited.
    /// </summary>
    public async Task SettleAsync()
    {
        var probe = $"/health/live?settled={Guid.NewGuid():N}";
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        (await http.GetAsync(probe, ActivityClient.Cancel)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var lines = Lines(0);
            var forwarded = lines.FindIndex(line => line.Contains(probe, StringComparison.Ordinal));
            if (forwarded >= 0 && lines.Skip(forwarded).Any(line => line.Contains("Received forward response", StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(50, ActivityClient.Cancel);
        }

        throw new TimeoutException("Prism did not log the settling probe within 60 s.");
    }

    /// <summary>
    /// The answers Prism forwarded and validated since <paramref name="mark"/>, and every problem it
    /// logged: a violation (an error answer in place of the server's), a request it refused, a
    /// warning (e.g. a status code the document does not list for the operation), a failure.
    /// </summary>
    public (int Validated, IReadOnlyList<string> Problems) Since(int mark)
    {
        var lines = Lines(mark);
        // One per answer from the server (a 204's "Received forward response" line never comes).
        var validated = lines.Count(line => line.Contains("The upstream call to", StringComparison.Ordinal) && line.Contains("has returned", StringComparison.Ordinal));
        var problems = lines.Where(line => ProblemLine().IsMatch(line)).ToList();
        return (validated, problems);
    }

    [GeneratedRegex(@"(✖|⚠|\b(error|warning|fatal)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex ProblemLine();

    private List<string> Lines(int from)
    {
        lock (_log)
        {
            return _log.Skip(from).ToList();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Add(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
