using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ActivityFeed.Api.Data;

/// <summary>
/// Several statements on the context's connection and transaction in one round trip (an
/// <see cref="NpgsqlBatch"/>; Npgsql auto-prepares them like any command). <see cref="CommitWithAsync"/>
/// sends the writer's last statements together with COMMIT, so the row locks they take (an org's
/// change position, a recipient's inbox counters) are held for their execution and the commit's
/// WAL flush only, not for client round trips.
/// </summary>
public static class SqlBatch
{
    /// <summary>
    /// A statement with positional parameters ($1, $2, …); a null value is sent as NULL, an
    /// <see cref="NpgsqlParameter"/> as it is (typed, so a prepared statement's types never change).
    /// </summary>
    public static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public static NpgsqlParameter Typed(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    public static NpgsqlBatch Create(ActivityFeedDb db, IEnumerable<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
        {
            Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
        };
        // Raw batches pass no EF interceptor: each sets the ambient org itself (row-level security),
        // in the same round trip. Inside a transaction it is set already or now; setting it again is harmless.
        if (OrgScope.Current is { } orgId)
        {
            batch.BatchCommands.Add(OrgScope.BatchCommand(orgId));
        }

        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    public static async Task ExecuteAsync(ActivityFeedDb db, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = Create(db, commands);
            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Runs the commands in one round trip on the context's connection (opened for the call when it
    /// is closed) and hands their results to <paramref name="read"/>, one result set per command.
    /// </summary>
    public static async Task<T> ReadAsync<T>(
        ActivityFeedDb db, IEnumerable<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = Create(db, commands);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await read(reader);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Runs the commands and COMMIT in one round trip, ending the context's open transaction; the
    /// transaction object then only needs disposing. A failing statement skips the rest (COMMIT
    /// included) and leaves the transaction for the caller to roll back.
    /// </summary>
    public static async Task CommitWithAsync(ActivityFeedDb db, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var batch = Create(db, [.. commands, new NpgsqlBatchCommand("COMMIT")]);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rolls back, unless the transaction already ended (a COMMIT that failed has rolled it back itself).</summary>
    public static async Task RollbackAsync(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Npgsql: "This NpgsqlTransaction has completed" — nothing is left to roll back.
        }
    }
}
