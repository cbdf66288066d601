using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// New activities of a batch in one binary COPY inside the writer's transaction: no statement per
/// row to parse, plan and acknowledge. PostgreSQL refuses COPY FROM into a table with row-level
/// security, so the rows land in a session-private staging table (emptied at commit) and one
/// INSERT … SELECT moves them, through the policy's WITH CHECK. Unique violations (a concurrent
/// duplicate external_id) come back from that INSERT, named by their constraint.
/// </summary>
public static class ActivityCopy
{
    private const string Columns = """
        org_id, id, type, occurred_at, created_at, updated_at, actor_id, assistant_id, contact_id, visitor_id,
            customer_id, table_id, record_id, segment_id, broadcast_id, relation_type, relation_id, title, description,
            formatted_description, comment, note, file, attachments, tags, pinned_at, channel, recipients, external_id,
            metadata, request_hash
        """;

    private static readonly string InsertOne = $"INSERT INTO activities ({Columns}) VALUES ({string.Join(", ", Enumerable.Range(1, 31).Select(n => $"${n}"))})";

    /// <summary>
    /// One new activity as an INSERT, the same columns as the COPY, to go in the writer's last
    /// round trip (<see cref="SqlBatch.CommitWithAsync"/>); typed parameters, so its prepared statement is reused.
    /// </summary>
    public static NpgsqlBatchCommand Insert(Activity a) =>
        SqlBatch.Command(InsertOne,
            a.OrgId, a.Id, a.Type, a.OccurredAt, a.CreatedAt, a.UpdatedAt,
            Text(a.ActorId), Text(a.AssistantId), Text(a.ContactId), Text(a.VisitorId), Text(a.CustomerId), Text(a.TableId), Text(a.RecordId),
            Text(a.SegmentId), Text(a.BroadcastId), Text(a.RelationType), Text(a.RelationId), Text(a.Title), Text(a.Description),
            Text(a.FormattedDescription), Text(a.Comment),
            SqlBatch.Typed(a.Note, NpgsqlDbType.Jsonb), SqlBatch.Typed(a.File, NpgsqlDbType.Jsonb), SqlBatch.Typed(a.Attachments, NpgsqlDbType.Jsonb),
            SqlBatch.Typed(a.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text), SqlBatch.Typed(a.PinnedAt, NpgsqlDbType.TimestampTz), Text(a.Channel),
            SqlBatch.Typed(a.Recipients, NpgsqlDbType.Array | NpgsqlDbType.Text), Text(a.ExternalId),
            SqlBatch.Typed(a.Metadata, NpgsqlDbType.Jsonb), SqlBatch.Typed(a.RequestHash, NpgsqlDbType.Bytea));

    private static NpgsqlParameter Text(string? value) => SqlBatch.Typed(value, NpgsqlDbType.Text);
    private const string Staging = "CREATE TEMP TABLE IF NOT EXISTS activities_staged (LIKE activities) ON COMMIT DELETE ROWS";
    private const string Copy = $"COPY activities_staged ({Columns}) FROM STDIN (FORMAT BINARY)";
    private const string Move = $"INSERT INTO activities ({Columns}) SELECT {Columns} FROM activities_staged";

    public static async Task WriteAsync(ActivityFeedDb db, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync(Staging, cancellationToken);
        await ImportAsync(db, activities, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(Move, cancellationToken);
    }

    private static async Task ImportAsync(ActivityFeedDb db, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var import = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        foreach (var a in activities)
        {
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(a.OrgId, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(a.Id, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(a.Type, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(a.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(a.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(a.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            foreach (var text in (string?[])[a.ActorId, a.AssistantId, a.ContactId, a.VisitorId, a.CustomerId, a.TableId, a.RecordId,
                         a.SegmentId, a.BroadcastId, a.RelationType, a.RelationId, a.Title, a.Description, a.FormattedDescription, a.Comment])
            {
                await WriteAsync(import, text, NpgsqlDbType.Text, cancellationToken);
            }

            await WriteAsync(import, a.Note, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteAsync(import, a.File, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteAsync(import, a.Attachments, NpgsqlDbType.Jsonb, cancellationToken);
            await import.WriteAsync(a.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(import, a.PinnedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteAsync(import, a.Channel, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(a.Recipients, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(import, a.ExternalId, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(a.Metadata, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteAsync(import, a.RequestHash, NpgsqlDbType.Bytea, cancellationToken);
        }

        await import.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(value, type, cancellationToken);
}
