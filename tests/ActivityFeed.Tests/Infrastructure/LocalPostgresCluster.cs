using System.Diagnostics;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp folder, for machines without Docker. initdb refuses to
/// run as root, so as root every server command runs as the 'postgres' OS user.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _binDirectory;

    private LocalPostgresCluster(string root, string binDirectory, int port)
    {
        _root = root;
        _binDirectory = binDirectory;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20;Include Error Detail=true";

    private string DataDirectory => Path.Combine(_root, "data");

    public static async Task<LocalPostgresCluster> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Run the tests with scripts/test.sh, which installs them, " +
            "or set ACTIVITYFEED_PG_BIN, or ACTIVITYFEED_TEST_DATABASE to a server you have.");
        var root = Path.Combine(Path.GetTempPath(), $"activityfeed-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var cluster = new LocalPostgresCluster(root, bin, LocalMachine.FreePort());
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root]);
        }

        await cluster.RunServerToolAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>Stops the server as an operator would (<c>pg_ctl stop -m fast</c>: sessions are ended, work in flight rolled back).</summary>
    public Task StopServerAsync() => RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);

    /// <summary>Starts the server again on the same port and data (after <see cref="StopServerAsync"/>).</summary>
    public Task StartServerAsync()
    {
        // Durability settings off: the cluster lives for one test run.
        var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off " +
                            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        return RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-o", serverOptions, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start"]);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Task RunServerToolAsync(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_binDirectory, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static string? FindBinaries()
    {
        static bool HasTools(string? directory) =>
            !string.IsNullOrEmpty(directory) && File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

        var configured = Environment.GetEnvironmentVariable("ACTIVITYFEED_PG_BIN");
        if (HasTools(configured))
        {
            return configured;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).FirstOrDefault(HasTools);
        if (onPath is not null)
        {
            return onPath;
        }

        const string debianRoot = "/usr/lib/postgresql";
        return Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(HasTools)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }
}
