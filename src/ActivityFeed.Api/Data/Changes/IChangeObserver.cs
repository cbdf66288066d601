namespace ActivityFeed.Api.Data.Changes;

/// <summary>
/// Told by <see cref="ChangeListener"/> what other processes (and this one) committed: live
/// streams and webhooks each register one, so neither depends on the other to hear of changes.
/// Calls must return at once (they run on the listener's connection): wake a worker, do no I/O.
/// </summary>
public interface IChangeObserver
{
    /// <summary>A change was committed in this org's log.</summary>
    void Changed(string orgId);

    /// <summary>A user's inbox state (read, seen, archived) changed.</summary>
    void InboxChanged(string orgId, string userId);

    /// <summary>The listener (re)connected: anything may have been committed meanwhile.</summary>
    void MayHaveMissed();
}
