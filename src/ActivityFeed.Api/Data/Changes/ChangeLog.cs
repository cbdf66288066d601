using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Data.Changes;

public sealed record Change(string Kind, string ActivityId, string? Snapshot = null);

/// <summary>
/// Appends change events inside the writer's transaction, as its last statement. Positions come
/// from the org's row in change_positions: the upsert holds that row until commit, so an org's
/// events commit in position order with no gaps, and a reader that has seen position n has seen
/// every event before it. The NOTIFY in the same transaction is delivered only on commit, and
/// carries only the org id: listeners read the log.
/// </summary>
public static class ChangeLog
{
    public const string Channel = "activityfeed_changes";

    public static Task RecordAsync(ActivityFeedDb db, string orgId, IReadOnlyList<Change> changes, CancellationToken cancellationToken) =>
        SqlBatch.ExecuteAsync(db, Commands(orgId, changes), cancellationToken);

    /// <summary>
    /// The statements that append the changes (none for no change): to be sent last, best with
    /// COMMIT in the same round trip (<see cref="SqlBatch.CommitWithAsync"/>), so the org's
    /// position row is held for as short a time as the commit allows.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands(string orgId, IReadOnlyList<Change> changes)
    {
        if (changes.Count == 0)
        {
            yield break;
        }

        yield return SqlBatch.Command("""
            WITH next AS (
                INSERT INTO change_positions AS p (org_id, last_position, swept_through) VALUES ($1, $2, 0)
                ON CONFLICT (org_id) DO UPDATE SET last_position = p.last_position + $2
                RETURNING p.last_position)
            INSERT INTO change_events (org_id, position, kind, activity_id, snapshot, created_at)
            SELECT $1, next.last_position - $2 + e.ordinal, e.kind, e.activity_id, e.snapshot::jsonb, now()
            FROM next, unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(kind, activity_id, snapshot, ordinal)
            """, orgId, (long)changes.Count, changes.Select(c => c.Kind).ToArray(), changes.Select(c => c.ActivityId).ToArray(),
            changes.Select(c => c.Snapshot).ToArray());
        yield return SqlBatch.Command("SELECT pg_notify($1, $2)", Channel, orgId);
    }

    public static Task RecordAsync(ActivityFeedDb db, string orgId, Change change, CancellationToken cancellationToken) =>
        RecordAsync(db, orgId, [change], cancellationToken);

    /// <summary>The org's last committed position and the last one retention removed (zeros before its first change).</summary>
    public static async Task<(long Last, long SweptThrough)> PositionAsync(ActivityFeedDb db, string orgId, CancellationToken cancellationToken)
    {
        var row = await db.ChangePositions.AsNoTracking().Where(p => p.OrgId == orgId)
            .Select(p => new { p.LastPosition, p.SweptThrough }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? (0, 0) : (row.LastPosition, row.SweptThrough);
    }
}
