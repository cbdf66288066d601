using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ActivityFeed.Api.Streams;

/// <summary>
/// Removes change events older than the retention, a bounded batch at a time, and records per org
/// the last position removed, so a stream asked to resume from before it can say events were lost.
/// Any number of processes may run it: the deletes are idempotent.
/// </summary>
public sealed class ChangeEventSweeper(IServiceScopeFactory scopes, IOptions<StreamOptions> options, TimeProvider clock, ILogger<ChangeEventSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private const int BatchSize = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SweepAsync(clock.GetUtcNow() - options.Value.Retention, stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Sweeping old change events failed; trying again in {Interval}", Interval);
            }

            await Task.Delay(Interval, clock, stoppingToken);
        }
    }

    /// <returns>How many events were removed (at most one batch).</returns>
    public async Task<int> SweepAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        // One statement: the deleted events' per-org maximum becomes swept_through as they go. Across
        // orgs, so a definer function (see the RowLevelSecurity migration).
        await using var command = new NpgsqlCommand(
            "SELECT activityfeed_sweep_change_events(@before, @batch)", (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("batch", BatchSize);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
