using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Activities.Idempotency;

/// <summary>
/// Deletes idempotency keys past their 24 hours, a bounded batch at a time. Any number of server
/// processes may run it: the deletes are idempotent, and writers ignore expired keys regardless.
/// </summary>
public sealed class IdempotencyKeySweeper(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyKeySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private const int BatchSize = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Sweeping expired idempotency keys failed; will retry");
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var now = clock.GetUtcNow();
        var total = 0;
        int deleted;
        do
        {
            // Across orgs: a definer function (see the RowLevelSecurity migration).
            deleted = (await db.Database.SqlQuery<int>($"SELECT activityfeed_sweep_idempotency_keys({now}, {BatchSize}) AS \"Value\"")
                .ToListAsync(cancellationToken)).Single();
            total += deleted;
        }
        while (deleted == BatchSize);

        return total;
    }
}
