using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Data.Changes;

/// <summary>
/// NOTIFY that a user's inbox state changed (read, seen, archived), so their live streams send a
/// new <c>counts</c>. Not logged: counts are read fresh, nothing needs replaying.
/// </summary>
public static class InboxSignal
{
    public const string Channel = "activityfeed_inbox";
    private const char Separator = ' '; // in neither org nor client ids

    public static Task NotifyAsync(ActivityFeedDb db, string orgId, string userId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {orgId + Separator + userId})", cancellationToken);

    public static bool TryRead(string payload, out string orgId, out string userId)
    {
        var at = payload.IndexOf(Separator, StringComparison.Ordinal);
        orgId = at > 0 ? payload[..at] : "";
        userId = at > 0 ? payload[(at + 1)..] : "";
        return at > 0;
    }
}
