using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// The built server as a separate OS process on a loopback port (Kestrel, not the in-memory test
/// host), over a test class's database: for tests that need several processes or a real browser.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <param name="connectionString">The database as its owner; the server runs as the runtime login.</param>
    /// <param name="settings">Configuration keys (<c>A:B</c>) passed as environment variables (<c>A__B</c>).</param>
    public static async Task<ServerProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var url = $"http://127.0.0.1:{LocalMachine.FreePort()}";
        var start = Start(url, settings);
        start.Environment["ConnectionStrings__ActivityFeed"] = PostgresServer.AsRuntime(connectionString);
        start.Environment["ConnectionStrings__ActivityFeedMigrations"] = connectionString;
        start.Environment.TryAdd("ActivityFeed__MigrateOnStartup", "false"); // the test host migrated it

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process, url);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready", ActivityClient.Cancel)).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!ActivityClient.Cancel.IsCancellationRequested)
            {
                // slow to answer while starting
            }

            await Task.Delay(200, ActivityClient.Cancel);
        }

        var output = server.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException($"The server at {url} did not become ready:\n{output}");
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 2000)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>
    /// Runs the server with only these settings (environment, <c>A:B</c> as <c>A__B</c>) until it
    /// exits by itself: for configurations that must stop it at start-up. Fails after 60 s.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> settings)
    {
        using var process = Process.Start(Start($"http://127.0.0.1:{LocalMachine.FreePort()}", settings))
                            ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(ActivityClient.Cancel);
        var error = process.StandardError.ReadToEndAsync(ActivityClient.Cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ActivityClient.Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The server did not stop by itself within 60 s.");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>The built server on <paramref name="url"/> in the Testing environment, with the settings as environment variables.</summary>
    private static ProcessStartInfo Start(string url, IReadOnlyDictionary<string, string>? settings)
    {
        var dll = ServerDll();
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", url])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

        /// <summary>The server's own build output (it has its runtimeconfig), beside this test build.</summary>
    private static string ServerDll()
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var configuration = new DirectoryInfo(testOutput).Parent!.Name; // …/bin/<configuration>/net10.0
        var root = testOutput[..testOutput.LastIndexOf($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal)];
        var dll = Path.Combine(root, "src", "ActivityFeed.Api", "bin", configuration, "net10.0", "ActivityFeed.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the server first: {dll} is missing.");
    }

    /// <summary>SIGKILL: no shutdown, nothing flushed or finished.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
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
