using Npgsql;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// An <see cref="ApiFactory"/> over a PostgreSQL cluster of its own, which a test may stop and
/// start again (the run's shared server serves every other class and must stay up).
/// </summary>
public sealed class RestartableDatabaseFactory(PostgresServer server) : ApiFactory(server)
{
    private LocalPostgresCluster? _cluster;

    public LocalPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started its cluster.");

    protected override async Task<string> CreateDatabaseAsync()
    {
        _cluster = await LocalPostgresCluster.StartAsync();
        await using (var connection = new NpgsqlConnection(_cluster.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE af_restartable", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_cluster.AdminConnectionString) { Database = "af_restartable" }.ConnectionString;
        await PostgresServer.MigrateAsync(connectionString);
        await PostgresServer.CreateRuntimeLoginAsync(connectionString);
        return connectionString;
    }

    protected override async Task DropDatabaseAsync(string connectionString)
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
