using System.Threading.Channels;
using ActivityFeed.Api.Data.Changes;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Streams;

/// <summary>
/// This process's open streams, grouped by org. Each org with subscribers has one reader that
/// follows the change log (woken by NOTIFY, and by a safety poll) and fans each change out to the
/// org's subscribers, so a thousand open streams cost one log read per change, not a thousand.
/// </summary>
public sealed class StreamHub(ChangeBatchReader reader, IOptions<StreamOptions> options, ILogger<StreamHub> logger) : IChangeObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrgFollower> _orgs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public StreamOptions Options { get; } = options.Value;

    /// <summary>
    /// Adds the subscriber and returns once its org's follower knows its starting position, so a
    /// replay the caller runs next overlaps what the follower will deliver: no gap at the seam.
    /// </summary>
    public Task SubscribeAsync(StreamSubscriber subscriber)
    {
        OrgFollower follower;
        lock (_gate)
        {
            if (!_orgs.TryGetValue(subscriber.OrgId, out follower!))
            {
                follower = _orgs[subscriber.OrgId] = new OrgFollower(subscriber.OrgId, this);
            }

            follower.Subscribers.Add(subscriber);
            follower.Wake();
        }

        return follower.Ready;
    }

    public void Unsubscribe(StreamSubscriber subscriber)
    {
        lock (_gate)
        {
            if (_orgs.TryGetValue(subscriber.OrgId, out var follower) && follower.Subscribers.Remove(subscriber) && follower.Subscribers.Count == 0)
            {
                _orgs.Remove(subscriber.OrgId);
                follower.Stop();
            }
        }
    }

    /// <summary>A change was committed in this org (or may have been: after a lost listener connection).</summary>
    public void Wake(string orgId)
    {
        lock (_gate)
        {
            if (_orgs.TryGetValue(orgId, out var follower))
            {
                follower.Wake();
            }
        }
    }

    public void WakeAll()
    {
        lock (_gate)
        {
            foreach (var follower in _orgs.Values)
            {
                follower.Wake();
            }
        }
    }

    /// <summary>A user's inbox state changed (read, archived, …): their streams may owe a <c>counts</c> event.</summary>
    public void WakeInbox(string orgId, string userId)
    {
        lock (_gate)
        {
            if (_orgs.TryGetValue(orgId, out var follower))
            {
                follower.WakeCounts(userId);
            }
        }
    }

    void IChangeObserver.Changed(string orgId) => Wake(orgId);

    void IChangeObserver.InboxChanged(string orgId, string userId) => WakeInbox(orgId, userId);

    void IChangeObserver.MayHaveMissed() => WakeAll();

    public int OpenStreams
    {
        get
        {
            lock (_gate)
            {
                return _orgs.Values.Sum(f => f.Subscribers.Count);
            }
        }
    }

    private StreamSubscriber[] SubscribersOf(OrgFollower follower)
    {
        lock (_gate)
        {
            return [.. follower.Subscribers];
        }
    }

    private int _disposed;

    /// <summary>Idempotent: the container disposes it once as itself and once as an <see cref="IChangeObserver"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    /// <summary>Sends <c>counts</c> to inbox subscribers of these users whose unread count differs from what they last got.</summary>
    internal async Task SendCountsAsync(string orgId, IReadOnlyCollection<StreamSubscriber> subscribers, CancellationToken cancellationToken)
    {
        if (subscribers.Count == 0)
        {
            return;
        }

        var counts = await reader.CountsAsync(orgId, subscribers.Select(s => s.InboxUser!).Distinct().ToList(), cancellationToken);
        foreach (var subscriber in subscribers)
        {
            var current = counts[subscriber.InboxUser!];
            if (subscriber.LastUnread != current.Unread)
            {
                subscriber.LastUnread = current.Unread;
                subscriber.Offer(new StreamMessage(null, StreamMessage.Counts, Activities.ActivityMapping.Serialize(current)));
            }
        }
    }

    private sealed class OrgFollower
    {
        private readonly string _orgId;
        private readonly StreamHub _hub;
        // At most one pending wake-up: a burst of notifications costs one read of the log.
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private readonly CancellationTokenSource _stop;
        private readonly HashSet<string> _countsDue = new(StringComparer.Ordinal);

        public OrgFollower(string orgId, StreamHub hub)
        {
            _orgId = orgId;
            _hub = hub;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(hub._stopping.Token);
            _ = Task.Run(RunAsync);
        }

        public HashSet<StreamSubscriber> Subscribers { get; } = [];

        public string OrgId => _orgId;

        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the follower has read the position it follows from (or has failed).</summary>
        public Task Ready => _ready.Task;

        public void Wake() => _signal.Writer.TryWrite(true);

        public void WakeCounts(string userId)
        {
            lock (_countsDue)
            {
                _countsDue.Add(userId);
            }

            Wake();
        }

        public void Stop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It already ended (the server is stopping): nothing left to stop.
            }
        }

        private async Task RunAsync()
        {
            var token = _stop.Token;
            try
            {
                var (position, _) = await _hub.Reader.PositionAsync(_orgId, token);
                _ready.TrySetResult();
                while (!token.IsCancellationRequested)
                {
                    using (var poll = CancellationTokenSource.CreateLinkedTokenSource(token))
                    {
                        poll.CancelAfter(_hub.Options.SafetyPollInterval);
                        try
                        {
                            await _signal.Reader.WaitToReadAsync(poll.Token);
                            _signal.Reader.TryRead(out _);
                        }
                        catch (OperationCanceledException) when (!token.IsCancellationRequested)
                        {
                            // No notification for a while: read the log anyway.
                        }
                    }

                    var countsFor = new HashSet<StreamSubscriber>();
                    ChangeBatchReader.Batch batch;
                    do
                    {
                        batch = await _hub.Reader.ReadAsync(_orgId, position, () => _hub.SubscribersOf(this), token);
                        foreach (var (subscriber, message) in batch.Messages)
                        {
                            if (subscriber.Offer(message) && subscriber.InboxUser is not null)
                            {
                                countsFor.Add(subscriber);
                            }
                        }

                        position = batch.LastPosition;
                    }
                    while (batch.EventCount == ChangeBatchReader.BatchSize);

                    string[] due;
                    lock (_countsDue)
                    {
                        due = [.. _countsDue];
                        _countsDue.Clear();
                    }

                    if (due.Length > 0)
                    {
                        countsFor.UnionWith(_hub.SubscribersOf(this).Where(s => s.InboxUser is { } user && due.Contains(user, StringComparer.Ordinal)));
                    }
                    await _hub.SendCountsAsync(_orgId, countsFor, token);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The org's last stream closed, or the server is stopping.
            }
            catch (Exception exception)
            {
                // The database is away or failing: end this org's streams; clients resume with Last-Event-ID.
                _hub.FailAll(this, exception);
            }
            finally
            {
                _ready.TrySetResult(); // a failed follower has failed its subscribers: let them see it
                _stop.Dispose();
            }
        }
    }

    private ChangeBatchReader Reader => reader;

    private void FailAll(OrgFollower follower, Exception exception)
    {
        logger.LogWarning(exception, "Following the change log failed; the org's streams are closed and will resume from their clients' Last-Event-ID");
        StreamSubscriber[] subscribers;
        lock (_gate)
        {
            subscribers = [.. follower.Subscribers];
            follower.Subscribers.Clear();
            if (_orgs.TryGetValue(follower.OrgId, out var current) && current == follower)
            {
                _orgs.Remove(follower.OrgId);
            }
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Fail();
        }
    }
}
