using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Activities.Idempotency;
using ActivityFeed.Api.Activities.Types;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Directory;
using ActivityFeed.Api.Inbox;
using ActivityFeed.Api.Infrastructure.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Activities;

public enum WriteStatus
{
    Created,
    Replayed,
    Invalid,
    ReusedWithAnotherBody,
    InFlight,
}

/// <summary>The patched activity, or the errors (and a detail line) that stopped the patch.</summary>
public sealed record PatchResult(Activity? Activity, IDictionary<string, string[]>? Errors, string? Detail);

public sealed record WriteResult(WriteStatus Status, IReadOnlyList<ActivityResponse> Items, IDictionary<string, string[]>? Errors = null);

/// <summary>
/// Creates activities atomically and idempotently. Duplicates are stopped by the database: the
/// Idempotency-Key's primary key and the (org_id, external_id) unique index are written in the
/// same transaction as the activities, so a concurrent duplicate waits for the first writer and
/// then replays its result (or, past the lock timeout, is told to retry).
/// </summary>
public sealed class ActivityWriter(
    ActivityFeedDb db,
    ActivityTypeCatalog catalog,
    DescriptionSanitizer sanitizer,
    IValidator<CreateActivityRequest> validator,
    TimeProvider clock)
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);
    private const int Attempts = 3;
    private const string ExternalIdIndex = "ix_activities_org_id_external_id";
    private const string IdempotencyPrimaryKey = "pk_idempotency_keys";

    // prefixItems: errors name items as activities[i]. (the batch shape).
    public async Task<WriteResult> CreateAsync(string orgId, IReadOnlyList<CreateActivityRequest> submitted, bool prefixItems, string? idempotencyKey, CancellationToken cancellationToken)
    {
        string Prefix(int index) => prefixItems ? $"activities[{index}]." : "";

        var requests = submitted.ToArray();

        var errors = await CheckAsync(orgId, requests, Prefix, cancellationToken);
        if (errors.Count > 0)
        {
            return new WriteResult(WriteStatus.Invalid, [], errors);
        }

        var itemHashes = requests.Select(r => Hash(ActivityMapping.Serialize(r))).ToArray();
        var requestHash = Hash((prefixItems ? "batch:" : "single:") + Convert.ToHexString(itemHashes.SelectMany(h => h).ToArray()));

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var now = Timestamps.Truncate(clock.GetUtcNow());
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // A failed save rolls the whole transaction back and retries: no savepoint around it (two statements less).
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                // How long a duplicate waits for the first writer before it is answered 409 + Retry-After;
                // an expired key of the same name goes with it. Both go ahead of the first statement that
                // can wait on another writer's lock: a batch's COPY, a directory upsert, or the last round trip.
                var preamble = new LockPreamble([
                    SqlBatch.Command("SET LOCAL lock_timeout = '10s'"),
                    .. idempotencyKey is null ? [] : new[] { IdempotencyKeys.DeleteExpired(orgId, idempotencyKey, now) },
                ]);

                var existing = await ExistingByExternalIdAsync(orgId, requests, cancellationToken);
                var rows = new Activity[requests.Length];
                var mentions = new List<EntryMentions>();
                var createdActivities = new List<Activity>();
                for (var i = 0; i < requests.Length; i++)
                {
                    if (requests[i].ExternalId is { } externalId && existing.TryGetValue(externalId, out var previous))
                    {
                        if (previous.RequestHash is null || !previous.RequestHash.AsSpan().SequenceEqual(itemHashes[i]))
                        {
                            return new WriteResult(WriteStatus.ReusedWithAnotherBody, [], new Dictionary<string, string[]>
                            {
                                [$"{Prefix(i)}external_id"] = [$"external_id '{externalId}' was already used by activity {previous.Id} with a different body."],
                            });
                        }

                        rows[i] = previous;
                        continue;
                    }

                    mentions.Add(ActivityMapping.MentionsOf(requests[i]));
                    var entity = ActivityMapping.ToEntity(orgId, requests[i], now, sanitizer, itemHashes[i]);
                    createdActivities.Add(entity);
                    rows[i] = entity;
                }

                // The row locks that every write of an org or of a busy actor contends for (changed
                // directory entries, then the recipients' counters and the org's change position) come
                // last, so they are held for as few round trips as possible. Several activities go
                // first in one COPY; a single one goes in the last round trip, with COMMIT.
                if (createdActivities.Count > 1)
                {
                    await SqlBatch.ExecuteAsync(db, preamble.Take(), cancellationToken);
                    await ActivityCopy.WriteAsync(db, createdActivities, cancellationToken);
                }

                // The entries every row refers to are read with the mentioned ones and come back as stored,
                // so the response (and the stored idempotent response, the same body) needs no read of its own.
                var stored = await DirectoryUpserts.ApplyAsync(db, orgId, mentions, [.. rows.Select(ActivityMapping.EmbeddedIdsOf)], now, preamble, cancellationToken);
                var enriched = ActivityResponses.WithEntries(rows, stored);
                var key = idempotencyKey is null ? [] : new[]
                {
                    IdempotencyKeys.Insert(new IdempotencyKey
                    {
                        OrgId = orgId,
                        Key = idempotencyKey,
                        RequestHash = requestHash,
                        ResponseStatus = createdActivities.Count > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                        ResponseBody = ActivityMapping.Serialize(enriched),
                        ActivityIds = rows.Select(a => a.Id).ToArray(),
                        CreatedAt = now,
                        ExpiresAt = now + KeyLifetime,
                    }),
                };
                await SqlBatch.CommitWithAsync(db, [
                    .. preamble.Take(),
                    .. createdActivities is [var single] ? new[] { ActivityCopy.Insert(single) } : [],
                    .. key,
                    .. InboxDelivery.Commands(orgId, createdActivities),
                    .. ChangeLog.Commands(orgId, createdActivities.Select(a => new Change(ChangeKinds.Created, a.Id)).ToList()),
                ], cancellationToken);
                return new WriteResult(createdActivities.Count > 0 ? WriteStatus.Created : WriteStatus.Replayed, enriched);
            }
            catch (Exception exception) when ((exception as PostgresException ?? exception.InnerException as PostgresException) is { } pg
                                              && exception is PostgresException or DbUpdateException)
            {
                await SqlBatch.RollbackAsync(transaction);
                db.ChangeTracker.Clear();
                if (pg.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    return new WriteResult(WriteStatus.InFlight, []);
                }

                if (pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
                {
                    continue; // the other writer went on; try again, and after the last attempt answer 409 + Retry-After
                }

                if (pg.SqlState != PostgresErrorCodes.UniqueViolation)
                {
                    throw;
                }

                if (pg.ConstraintName == IdempotencyPrimaryKey && idempotencyKey is not null
                    && await ReplayAsync(orgId, idempotencyKey, requestHash, cancellationToken) is { } replay)
                {
                    return replay;
                }

                if (pg.ConstraintName is not (IdempotencyPrimaryKey or ExternalIdIndex))
                {
                    throw;
                }

                // The other writer committed first: look again and replay what it wrote.
            }
        }

        return new WriteResult(WriteStatus.InFlight, []);
    }

    /// <summary>
    /// Every problem of every item in one answer: field rules first, then types and metadata
    /// schemas. Normalises each item's metadata in place (drops an echoed metadata.type).
    /// </summary>
    private async Task<Dictionary<string, string[]>> CheckAsync(string orgId, CreateActivityRequest[] requests, Func<int, string> prefix, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < requests.Length; i++)
        {
            if (requests[i] is null)
            {
                errors[$"activities[{i}]"] = ["An activity must be a JSON object."];
                continue;
            }

            var result = await validator.ValidateAsync(requests[i], cancellationToken);
            foreach (var (field, messages) in result.ToDictionary())
            {
                errors[prefix(i) + field] = messages;
            }
        }

        // Types that passed the field rules are looked up even for items with other errors, so one answer lists everything.
        var schemas = await catalog.ResolveAsync(orgId, requests.Where((r, i) => r is not null && !errors.ContainsKey($"{prefix(i)}type")).Select(r => r.Type!), cancellationToken);
        var seenExternalIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Length; i++)
        {
            if (requests[i] is null || errors.ContainsKey($"{prefix(i)}type") || errors.ContainsKey($"{prefix(i)}metadata"))
            {
                continue;
            }

            var metadata = MetadataDiscriminator.Strip(requests[i].Metadata, requests[i].Type!, out var discriminatorError);
            if (metadata is null)
            {
                errors[$"{prefix(i)}metadata.type"] = [discriminatorError!];
                continue;
            }

            if (metadata != requests[i].Metadata?.GetRawText())
            {
                requests[i] = requests[i] with { Metadata = JsonDocument.Parse(metadata).RootElement.Clone() };
            }

            ActivityTypeCatalog.Check(requests[i].Type, metadata, schemas, prefix(i), errors);
            if (requests[i].ExternalId is { } externalId && !seenExternalIds.TryAdd(externalId, i))
            {
                errors[$"{prefix(i)}external_id"] = [$"external_id '{externalId}' repeats item {seenExternalIds[externalId]} of this batch."];
            }
        }

        return errors;

    }

    /// <summary>
    /// Applies a merge patch under a row lock; the inbox copies of <c>updated_at</c> and the change
    /// event follow in the same transaction. Null when the org has no such activity.
    /// </summary>
    public async Task<PatchResult?> PatchAsync(string orgId, string id, JsonObject patch, CancellationToken cancellationToken)
    {
        var memberErrors = ActivityPatch.CheckMembers(patch);
        if (memberErrors.Count > 0)
        {
            return new PatchResult(null, memberErrors, "The patch has fields that cannot be changed or are malformed; see errors.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var activity = (await db.Activities
            .FromSql($"SELECT * FROM activities WHERE org_id = {orgId} AND id = {id} FOR UPDATE")
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (activity is null)
        {
            return null;
        }

        var schemas = patch.ContainsKey("metadata")
            ? await catalog.ResolveAsync(orgId, [activity.Type], cancellationToken)
            : new Dictionary<string, MetadataSchema>();
        var errors = ActivityPatch.Apply(activity, patch, type => schemas.GetValueOrDefault(type), sanitizer,
            Timestamps.Truncate(clock.GetUtcNow()), out var changed);
        if (errors.Count > 0)
        {
            return new PatchResult(null, errors, "The patched activity would be invalid; see errors.");
        }

        if (changed)
        {
            await db.SaveChangesAsync(cancellationToken);
            await InboxDelivery.TouchAsync(db, activity, cancellationToken);
            await ChangeLog.RecordAsync(db, orgId, new Change(ChangeKinds.Updated, activity.Id), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PatchResult(activity, null, null);
    }

    /// <returns>False when the org has no such activity.</returns>
    public async Task<bool> DeleteAsync(string orgId, string id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var activity = (await db.Activities
            .FromSql($"SELECT * FROM activities WHERE org_id = {orgId} AND id = {id} FOR UPDATE")
            .AsNoTracking()
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (activity is null)
        {
            return false;
        }

        await db.Activities.Where(a => a.OrgId == orgId && a.Id == id).ExecuteDeleteAsync(cancellationToken);
        // The last state goes with the event, so a subscriber's filters can still be matched.
        await ChangeLog.RecordAsync(db, orgId, new Change(ChangeKinds.Deleted, id, ActivityMapping.Serialize(ActivityMapping.ToResponse(activity))), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<WriteResult?> ReplayAsync(string orgId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var stored = await db.IdempotencyKeys.AsNoTracking()
            .Where(k => k.OrgId == orgId && k.Key == key)
            .Select(k => new { k.RequestHash, k.ResponseBody })
            .SingleOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            return null; // The first writer rolled back; try to be the writer.
        }

        return stored.RequestHash.AsSpan().SequenceEqual(requestHash)
            ? new WriteResult(WriteStatus.Replayed, ActivityMapping.Deserialize<List<ActivityResponse>>(stored.ResponseBody))
            : new WriteResult(WriteStatus.ReusedWithAnotherBody, [], new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = ["This key was used within the last 24 hours for a request with a different body or endpoint."],
            });
    }

    private async Task<Dictionary<string, Activity>> ExistingByExternalIdAsync(string orgId, IReadOnlyList<CreateActivityRequest> requests, CancellationToken cancellationToken)
    {
        var externalIds = requests.Where(r => r.ExternalId is not null).Select(r => r.ExternalId!).ToList();
        if (externalIds.Count == 0)
        {
            return [];
        }

        return await db.Activities.AsNoTracking()
            .Where(a => a.OrgId == orgId && a.ExternalId != null && externalIds.Contains(a.ExternalId))
            .ToDictionaryAsync(a => a.ExternalId!, cancellationToken);
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
