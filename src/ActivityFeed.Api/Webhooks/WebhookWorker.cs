using System.Threading.Channels;
using ActivityFeed.Api.Data.Changes;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// This process's share of webhook work. Woken by every committed change (NOTIFY) it turns new
/// events into deliveries; it claims due deliveries a batch per webhook (see
/// <see cref="WebhookOptions.ClaimBatch"/>) and runs at most
/// <see cref="WebhookOptions.MaxConcurrentAttemptsPerWebhook"/> attempts per webhook and
/// <see cref="WebhookOptions.MaxConcurrentAttempts"/> in all, so a slow receiver holds only its own
/// slots; when a webhook's batch runs low it claims more. A poll finds due retries and anything a
/// lost notification hid. Writers never wait for any of it: they only append to the change log.
/// </summary>
public sealed class WebhookWorker(WebhookFanOut fanOut, WebhookSender sender, IOptions<WebhookOptions> options, ILogger<WebhookWorker> logger)
    : BackgroundService, IChangeObserver
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private readonly Dictionary<WebhookSender.DueWebhook, Lane> _lanes = [];
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentAttempts);
    private int _claimed;
    private int _logChanged = 1;

    private WebhookOptions Options => options.Value;

    /// <summary>One webhook's claimed deliveries in this process, and its attempt slots.</summary>
    private sealed class Lane(int slots)
    {
        public SemaphoreSlim Slots { get; } = new(slots);
        public int Claimed { get; set; }
    }

    void IChangeObserver.Changed(string orgId) => LogChanged();

    void IChangeObserver.InboxChanged(string orgId, string userId)
    {
        // Inbox state is not a webhook event.
    }

    void IChangeObserver.MayHaveMissed() => LogChanged();

    private void LogChanged()
    {
        Volatile.Write(ref _logChanged, 1);
        Wake();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.DeliveryEnabled)
        {
            return;
        }

        var polled = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (polled)
                {
                    await sender.ExpireAsync(stoppingToken);
                }

                if (Interlocked.Exchange(ref _logChanged, 0) == 1 || polled)
                {
                    await FanOutAsync(stoppingToken);
                }

                await ClaimDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Webhook work failed; trying again in {Interval}", Options.PollInterval);
            }

            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            poll.CancelAfter(Options.PollInterval);
            try
            {
                await _wake.Reader.WaitToReadAsync(poll.Token);
                _wake.Reader.TryRead(out _);
                polled = false;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                polled = true; // retries come due without anyone saying so
            }
        }
    }

    private async Task FanOutAsync(CancellationToken cancellationToken)
    {
        foreach (var orgId in await fanOut.OrgsBehindAsync(cancellationToken))
        {
            bool more;
            do
            {
                (_, more) = await fanOut.FanOutAsync(orgId, cancellationToken);
            }
            while (more);
        }
    }

    private async Task ClaimDueAsync(CancellationToken cancellationToken)
    {
        var maxClaimed = Options.MaxConcurrentAttempts * 4;
        if (Volatile.Read(ref _claimed) >= maxClaimed)
        {
            return;
        }

        foreach (var webhook in await sender.DueAsync(100, cancellationToken))
        {
            Lane lane;
            int room;
            lock (_gate)
            {
                if (!_lanes.TryGetValue(webhook, out lane!))
                {
                    lane = _lanes[webhook] = new Lane(Options.MaxConcurrentAttemptsPerWebhook);
                }

                // Claim again only once what is claimed fits in the lane's slots: nothing waits long in a lease.
                room = lane.Claimed > Options.MaxConcurrentAttemptsPerWebhook ? 0 : Math.Min(Options.ClaimBatch - lane.Claimed, maxClaimed - _claimed);
                if (room <= 0)
                {
                    continue;
                }

                // Reserved before the claim, so the lane is not dropped while it runs.
                lane.Claimed += room;
                _claimed += room;
            }

            IReadOnlyList<WebhookSender.Claimed> claimed = [];
            try
            {
                claimed = await sender.ClaimAsync(webhook, room, cancellationToken);
            }
            finally
            {
                lock (_gate)
                {
                    lane.Claimed -= room - claimed.Count;
                    _claimed -= room - claimed.Count;
                    if (lane.Claimed == 0)
                    {
                        _lanes.Remove(webhook);
                    }
                }
            }

            foreach (var delivery in claimed)
            {
                _ = Task.Run(() => RunAsync(webhook, lane, delivery, cancellationToken), CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(WebhookSender.DueWebhook webhook, Lane lane, WebhookSender.Claimed delivery, CancellationToken stopping)
    {
        var holdsLane = false;
        var holdsSlot = false;
        try
        {
            await lane.Slots.WaitAsync(stopping);
            holdsLane = true;
            await _slots.WaitAsync(stopping);
            holdsSlot = true;
            if (sender.FitsInLease(delivery))
            {
                await sender.AttemptAsync(delivery, stopping);
            }
            else
            {
                await sender.ReleaseAsync(delivery, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            if (!holdsSlot)
            {
                await ReleaseQuietlyAsync(delivery); // never started: hand it back rather than wait out the lease
            }
        }
        catch (Exception exception)
        {
            // Recording the result failed (the database is away): the lease runs out and it is tried again.
            logger.LogWarning(exception, "Webhook delivery {DeliveryId}: recording its attempt failed", delivery.Id);
        }
        finally
        {
            if (holdsSlot)
            {
                _slots.Release();
            }

            if (holdsLane)
            {
                lane.Slots.Release();
            }

            bool refill;
            lock (_gate)
            {
                _claimed--;
                lane.Claimed--;
                refill = lane.Claimed == Options.MaxConcurrentAttemptsPerWebhook || lane.Claimed == 0;
                if (lane.Claimed == 0)
                {
                    _lanes.Remove(webhook);
                }
            }

            if (refill)
            {
                Wake();
            }
        }
    }

    private async Task ReleaseQuietlyAsync(WebhookSender.Claimed delivery)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await sender.ReleaseAsync(delivery, bounded.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var id = delivery.Id;
            logger.LogWarning(exception, "Webhook delivery {DeliveryId}: not handed back on shutdown; its lease will run out", id);
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }
}
