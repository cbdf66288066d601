using System.Threading.Channels;
using ActivityFeed.Api.Data.Changes;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// This process's share of webhook work: woken by every committed change (NOTIFY), by each attempt
/// that ends, and by a poll for due retries, it turns new events into deliveries and starts due
/// attempts, at most <see cref="WebhookOptions.MaxConcurrentAttemptsPerWebhook"/> per webhook and
/// <see cref="WebhookOptions.MaxConcurrentAttempts"/> in all, so a slow receiver holds its own slots
/// only. Writers never wait for any of it: they only append to the change log.
/// </summary>
public sealed class WebhookWorker(WebhookFanOut fanOut, WebhookSender sender, IOptions<WebhookOptions> options, ILogger<WebhookWorker> logger)
    : BackgroundService, IChangeObserver
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private readonly Dictionary<WebhookSender.DueWebhook, int> _inFlight = [];
    private int _inFlightTotal;

    private WebhookOptions Options => options.Value;

    public void Wake() => _wake.Writer.TryWrite(true);

    void IChangeObserver.Changed(string orgId) => Wake();

    void IChangeObserver.InboxChanged(string orgId, string userId)
    {
        // Inbox state is not a webhook event.
    }

    void IChangeObserver.MayHaveMissed() => Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.DeliveryEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FanOutAsync(stoppingToken);
                await StartDueAttemptsAsync(stoppingToken);
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
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The poll: retries come due without anyone saying so.
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

    private async Task StartDueAttemptsAsync(CancellationToken cancellationToken)
    {
        await sender.ExpireAsync(cancellationToken);
        if (FreeSlots(null) == 0)
        {
            return;
        }

        foreach (var webhook in await sender.DueAsync(100, cancellationToken))
        {
            var free = FreeSlots(webhook);
            if (free == 0)
            {
                continue;
            }

            var claimed = await sender.ClaimAsync(webhook, free, cancellationToken);
            lock (_gate)
            {
                _inFlight[webhook] = _inFlight.GetValueOrDefault(webhook) + claimed.Count;
                _inFlightTotal += claimed.Count;
            }

            foreach (var delivery in claimed)
            {
                _ = Task.Run(() => AttemptAsync(webhook, delivery, cancellationToken), CancellationToken.None);
            }
        }
    }

    private async Task AttemptAsync(WebhookSender.DueWebhook webhook, WebhookSender.Claimed delivery, CancellationToken stopping)
    {
        try
        {
            await sender.AttemptAsync(delivery, stopping);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            // Recording the result failed (the database is away): the lease runs out and it is tried again.
            logger.LogWarning(exception, "Recording webhook delivery {DeliveryId} failed", delivery.Id);
        }
        finally
        {
            lock (_gate)
            {
                if (--_inFlight[webhook] == 0)
                {
                    _inFlight.Remove(webhook);
                }

                _inFlightTotal--;
            }

            Wake();
        }
    }

    /// <summary>Attempts that may start now: in all, or for one webhook.</summary>
    private int FreeSlots(WebhookSender.DueWebhook? webhook)
    {
        lock (_gate)
        {
            var total = Math.Max(0, Options.MaxConcurrentAttempts - _inFlightTotal);
            return webhook is null ? total : Math.Min(total, Math.Max(0, Options.MaxConcurrentAttemptsPerWebhook - _inFlight.GetValueOrDefault(webhook)));
        }
    }
}
