using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(ActivityFeed.Tests.Infrastructure.PostgresServer))]

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole run and one migrated template database; each test class
/// clones the template into a database of its own, so classes run in parallel without sharing rows.
/// The server is ACTIVITYFEED_TEST_DATABASE when set, else a Testcontainers container when a
/// Docker engine answers, else a throwaway local cluster.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly SemaphoreSlim CloneLock = new(1, 1);
    private readonly string _templateName = $"af_template_{Guid.NewGuid():N}";
    private IAsyncDisposable? _owned;
    private string _adminConnectionString = "";

    public string Source { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("ACTIVITYFEED_TEST_DATABASE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _adminConnectionString = configured;
            Source = "ACTIVITYFEED_TEST_DATABASE";
        }
        else if (await TryStartContainerAsync() is { } container)
        {
            _owned = container;
            _adminConnectionString = container.GetConnectionString();
            Source = "Testcontainers";
        }
        else
        {
            var cluster = await LocalPostgresCluster.StartAsync();
            _owned = cluster;
            _adminConnectionString = cluster.AdminConnectionString;
            Source = $"local cluster on port {cluster.Port}";
        }

        await ExecuteAsync($"CREATE DATABASE \"{_templateName}\"");
        await MigrateAsync(WithDatabase(_templateName));

        await CreateRuntimeLoginAsync(_adminConnectionString);

        // A template cannot be cloned while anyone is connected to it.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Applies every migration to the database the connection string names.</summary>
    public static async Task MigrateAsync(string connectionString)
    {
        await using var db = new ActivityFeedDb(new DbContextOptionsBuilder<ActivityFeedDb>()
            .UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
    }

    public const string RuntimeUser = "activityfeed_test_app";

    /// <summary>
    /// The login the server runs as: a member of the runtime role the migration made, neither
    /// superuser nor owner, so row-level security holds for it (a superuser would skip it).
    /// Roles are the cluster's, so once per cluster, after a first migration.
    /// </summary>
    public static async Task CreateRuntimeLoginAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{RuntimeUser}') THEN
                    CREATE ROLE {RuntimeUser} LOGIN PASSWORD '{RuntimeUser}' NOSUPERUSER NOBYPASSRLS IN ROLE activityfeed_runtime;
                END IF;
            END $$;
            GRANT activityfeed_runtime TO {RuntimeUser};
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The same database as the runtime login instead of the owner: what the server connects as.</summary>
    public static string AsRuntime(string ownerConnectionString) =>
        new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = RuntimeUser, Password = RuntimeUser }.ConnectionString;

    /// <summary>A fresh, migrated database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"af_test_{Guid.NewGuid():N}";
        await CloneLock.WaitAsync();
        try
        {
            await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{_templateName}\"");
        }
        finally
        {
            CloneLock.Release();
        }

        return WithDatabase(name);
    }

    public Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        return ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
        else
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_templateName}\" WITH (FORCE)");
        }
    }

    private string WithDatabase(string database) =>
        new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = database }.ConnectionString;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgreSqlContainer?> TryStartContainerAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(dockerHost) && !File.Exists("/var/run/docker.sock"))
        {
            return null;
        }

        var container = new PostgreSqlBuilder("postgres:15").Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await container.StartAsync(timeout.Token);
            return container;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await container.DisposeAsync();
            return null; // The socket is there but no engine answers: fall back to a local cluster.
        }
    }
}
