using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ActivityFeed.Api.Data;

/// <summary>
/// Every command EF sends carries the ambient org (<see cref="OrgScope"/>): one place, whatever the
/// query. Outside a transaction each command leads with the CALL; inside one only the first does,
/// since the setting lasts until commit. SaveChanges batches cannot lead with it (EF reads their
/// results by statement position), so a save makes sure its transaction has the org first,
/// opening one when there is none.
/// </summary>
public sealed class OrgScopeInterceptor : DbCommandInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public static readonly OrgScopeInterceptor Instance = new();

    // The org each open transaction has set. Npgsql reuses a connection's transaction object, so
    // every start forgets what the previous transaction on it had.
    private static readonly ConditionalWeakTable<DbTransaction, string> TransactionOrgs = new();

    private static void Apply(DbCommand command)
    {
        if (OrgScope.Current is not { } orgId)
        {
            return;
        }

        if (command.Transaction is { } transaction)
        {
            if (TransactionOrgs.TryGetValue(transaction, out var applied) && applied == orgId)
            {
                return;
            }

            TransactionOrgs.AddOrUpdate(transaction, orgId);
        }

        OrgScope.Apply(command, orgId);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Apply(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Apply(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Apply(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Apply(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Apply(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Apply(command);
        return ValueTask.FromResult(result);
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        TransactionOrgs.Remove(result);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        TransactionOrgs.Remove(result);
        return ValueTask.FromResult(result);
    }

    // A transaction this interceptor opened for a save, per context, committed once the save succeeded.
    private static readonly ConditionalWeakTable<DbContext, IDbContextTransaction> OpenedForSave = new();

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (OrgScope.Current is not { } orgId || eventData.Context is not { } context)
        {
            return result;
        }

        var database = context.Database;
        if (database.CurrentTransaction is null)
        {
            OpenedForSave.AddOrUpdate(context, await database.BeginTransactionAsync(cancellationToken));
        }

        var transaction = database.CurrentTransaction!.GetDbTransaction();
        if (!TransactionOrgs.TryGetValue(transaction, out var applied) || applied != orgId)
        {
            await using var command = new NpgsqlCommand { Connection = (NpgsqlConnection)transaction.Connection!, Transaction = (NpgsqlTransaction)transaction };
            OrgScope.Apply(command, orgId);
            await command.ExecuteNonQueryAsync(cancellationToken);
            TransactionOrgs.AddOrUpdate(transaction, orgId);
        }

        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && OpenedForSave.TryGetValue(context, out var transaction))
        {
            OpenedForSave.Remove(context);
            await using (transaction)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        return result;
    }

    public async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        await DisposeOpenedAsync(eventData.Context);

    public async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        await DisposeOpenedAsync(eventData.Context);

    private static async Task DisposeOpenedAsync(DbContext? context)
    {
        if (context is not null && OpenedForSave.TryGetValue(context, out var transaction))
        {
            OpenedForSave.Remove(context);
            await transaction.DisposeAsync(); // rolls back
        }
    }

    // The synchronous paths: the server saves only asynchronously.
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        OrgScope.Current is null ? result : throw new NotSupportedException("Save asynchronously inside an org scope.");
}
