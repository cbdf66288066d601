using Npgsql;

namespace ActivityFeed.Api.Data.Changes;

/// <summary>
/// One LISTEN connection per process: a notification names an org (or an org and user) whose log
/// or inbox changed, and wakes this process's observers of it. Notifications carry no event data
/// and can be lost while disconnected, so after every (re)connect the observers re-read the log.
/// </summary>
public sealed class ChangeListener(IConfiguration configuration, IEnumerable<IChangeObserver> observers, ILogger<ChangeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Its own connection, outside the pool, with keepalives so a dead peer is noticed.
                var settings = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(DatabaseSetup.ConnectionStringName))
                {
                    Pooling = false,
                    KeepAlive = 15,
                };
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => OnNotification(notification.Channel, notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeLog.Channel}; LISTEN {InboxSignal.Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                foreach (var observer in _observers)
                {
                    observer.MayHaveMissed(); // whatever was committed while we were not listening
                }

                delay = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning(exception, "The change listener lost its connection; reconnecting in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private readonly IChangeObserver[] _observers = [.. observers];

    private void OnNotification(string channel, string payload)
    {
        foreach (var observer in _observers)
        {
            if (channel == ChangeLog.Channel)
            {
                observer.Changed(payload);
            }
            else if (InboxSignal.TryRead(payload, out var orgId, out var userId))
            {
                observer.InboxChanged(orgId, userId);
            }
        }
    }
}
