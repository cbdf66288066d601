using ActivityFeed.Api.Data;
using Npgsql;

namespace ActivityFeed.Api.Activities.Idempotency;

/// <summary>The writer's statements on <c>idempotency_keys</c>, to go in its batches.</summary>
public static class IdempotencyKeys
{
    /// <summary>An expired key of this name, so it can be used again.</summary>
    public static NpgsqlBatchCommand DeleteExpired(string orgId, string key, DateTimeOffset now) =>
        SqlBatch.Command("DELETE FROM idempotency_keys WHERE org_id = $1 AND key = $2 AND expires_at < $3", orgId, key, now);

    /// <summary>The key with its response; its primary key makes a concurrent duplicate wait, then fail (and replay).</summary>
    public static NpgsqlBatchCommand Insert(IdempotencyKey key) =>
        SqlBatch.Command("""
            INSERT INTO idempotency_keys (org_id, key, request_hash, response_status, response_body, activity_ids, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
            """, key.OrgId, key.Key, key.RequestHash, key.ResponseStatus, key.ResponseBody, key.ActivityIds, key.CreatedAt, key.ExpiresAt);
}
