using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Tests.Infrastructure;

public static class QueryPlans
{
    public static ActivityFeedDb OpenDb(string connectionString) =>
        new(new DbContextOptionsBuilder<ActivityFeedDb>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);

    /// <summary>
    /// As the server runs its queries: the runtime login, inside the fixture org's row-level
    /// security, so a plan the policy would spoil (a filter it keeps off an index) shows here.
    /// </summary>
    public static ActivityFeedDb OpenDb(ApiFactory api) =>
        OpenDb(new NpgsqlConnectionStringBuilder(api.RuntimeConnectionString) { Options = $"-c {OrgScope.Setting}={api.OrgId}" }.ConnectionString);

    /// <summary>The plan of the SQL EF sends for <paramref name="query"/>, with sequential scans disabled.</summary>
    public static async Task<string> ExplainAsync<T>(ActivityFeedDb db, IQueryable<T> query)
    {
        await db.Database.OpenConnectionAsync(ActivityClient.Cancel);
        await using var command = (NpgsqlCommand)query.CreateDbCommand();
        return await ExplainAsync(db, command);
    }

    /// <summary>The plan of a statement the server sends as it is (positional parameters), with sequential scans disabled.</summary>
    public static async Task<string> ExplainAsync(ActivityFeedDb db, NpgsqlBatchCommand statement)
    {
        await db.Database.OpenConnectionAsync(ActivityClient.Cancel);
        await using var command = new NpgsqlCommand(statement.CommandText, (NpgsqlConnection)db.Database.GetDbConnection());
        foreach (NpgsqlParameter parameter in statement.Parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }

        return await ExplainAsync(db, command);
    }

    private static async Task<string> ExplainAsync(ActivityFeedDb db, NpgsqlCommand command)
    {
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off", ActivityClient.Cancel);
        command.CommandText = "EXPLAIN " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ActivityClient.Cancel);
        while (await reader.ReadAsync(ActivityClient.Cancel))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
