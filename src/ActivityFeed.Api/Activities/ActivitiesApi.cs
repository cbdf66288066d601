using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Infrastructure.Errors;
using ActivityFeed.Api.Infrastructure.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Activities;

public static class ActivitiesApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const int MaxBatch = 1000;

    public static RouteGroupBuilder MapActivities(this IEndpointRouteBuilder routes)
    {
        // No validation filter: the writer reports field, type and metadata errors of every item together.
        var group = routes.MapGroup("/orgs/{org_id}").WithTags("Activities").ProducesValidationProblem();

        group.MapPost("/activities", CreateActivity).WithName(nameof(CreateActivity))
            .RequireScope(Scopes.ActivitiesWrite)
            .WithSummary("Record an activity")
            .WithDescription("201 with `Location`. A repeated `Idempotency-Key` (or `external_id`) with the same body replays the original (200, `Idempotency-Replayed: true`); with another body it is a 422; while the original is still being written the retry waits for it, or gets 409 with `Retry-After`.")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/activities/batch", CreateActivitiesBatch).WithName(nameof(CreateActivitiesBatch))
            .RequireScope(Scopes.ActivitiesWrite)
            .WithSummary("Record up to 1,000 activities atomically")
            .WithDescription("All or none. Errors name the item, e.g. `activities[3].type`. Items whose `external_id` repeats an earlier write with the same body come back as that activity; when every item is such a replay the answer is 200 with `Idempotency-Replayed: true`.")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/activities/{id}", GetActivity).WithName(nameof(GetActivity))
            .RequireScope(Scopes.ActivitiesRead)
            .WithSummary("Get one activity")
            .WithDescription("The activity as every read returns it, enriched from the directory as it is now; 404 when it does not exist in the org or was deleted.");
        group.MapPatch("/activities/{id}", PatchActivity).WithName(nameof(PatchActivity))
            .RequireScope(Scopes.ActivitiesWrite)
            .Accepts<ActivityPatchRequest>("application/merge-patch+json", "application/json")
            .WithSummary("Change an activity (JSON merge patch)")
            .WithDescription("Patchable: title, description, formatted_description, comment, tags, pinned (true sets `pinned_at`), metadata (merged, then checked against the type's schema), relation. `null` clears a field. Type, ids and timestamps are immutable (400). `updated_at` moves on every patch that changes something.")
            .ProducesProblems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete("/activities/{id}", DeleteActivity).WithName(nameof(DeleteActivity))
            .RequireScope(Scopes.ActivitiesWrite)
            .WithSummary("Delete an activity")
            .WithDescription("204; the activity leaves every feed and inbox. 404 when it does not exist in the org.");
        group.MapDelete("/contacts/{contact_id}/activities", EraseContactActivities).WithName(nameof(EraseContactActivities))
            .RequireScope(Scopes.ActivitiesWrite)
            .WithSummary("Erase every activity of a contact")
            .WithDescription("Right to erasure: deletes the contact's activities, the stored idempotent responses that contain them and the contact's directory entry, and returns how many activities went. A contact with none answers `{\"deleted\": 0}`.");
        return group;
    }

    public static async Task<Results<Created<ActivityResponse>, Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> CreateActivity(
        [FromRoute(Name = "org_id")] string orgId,
        CreateActivityRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ActivityWriter writer,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (CheckIdempotencyKey(idempotencyKey) is { } invalidKey)
        {
            return invalidKey;
        }

        var result = await writer.CreateAsync(orgId, [request], prefixItems: false, idempotencyKey, cancellationToken);
        return result.Status switch
        {
            WriteStatus.Created => TypedResults.Created(ActivityLocation(orgId, result.Items[0].Id), result.Items[0]),
            WriteStatus.Replayed => Replayed(http, result.Items[0]),
            _ => Failure(http, result),
        };
    }

    public static async Task<Results<Created<ActivityBatchResponse>, Ok<ActivityBatchResponse>, ValidationProblem, ProblemHttpResult>> CreateActivitiesBatch(
        [FromRoute(Name = "org_id")] string orgId,
        CreateActivitiesBatchRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ActivityWriter writer,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (CheckIdempotencyKey(idempotencyKey) is { } invalidKey)
        {
            return invalidKey;
        }

        if (request.Activities is not { Count: > 0 and <= MaxBatch } activities)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["activities"] = [$"activities must list 1 to {MaxBatch} activities."],
            }, detail: "Nothing was written: the batch is empty or too large.");
        }

        var result = await writer.CreateAsync(orgId, activities, prefixItems: true, idempotencyKey, cancellationToken);
        return result.Status switch
        {
            WriteStatus.Created => TypedResults.Created((string?)null, new ActivityBatchResponse(result.Items)),
            WriteStatus.Replayed => Replayed(http, new ActivityBatchResponse(result.Items)),
            _ => Failure(http, result),
        };
    }

    public static async Task<Results<Ok<ActivityResponse>, ProblemHttpResult>> GetActivity(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "id")] string id, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        var row = await ActivityRows.ByIdAsync(db, orgId, id, cancellationToken);
        return row is null ? ActivityNotFound(id) : TypedResults.Ok(ActivityMapping.ToResponse(row));
    }

    public static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> PatchActivity(
        [FromRoute(Name = "org_id")] string orgId,
        [FromRoute(Name = "id")] string id,
        HttpContext http,
        ActivityWriter writer,
        ActivityFeedDb db,
        CancellationToken cancellationToken)
    {
        if (!PatchBody.IsJson(http.Request))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "PATCH takes a JSON merge patch: Content-Type application/merge-patch+json or application/json.");
        }

        var body = await PatchBody.ReadAsync(http.Request, cancellationToken);
        if (body.Patch is not { } patch)
        {
            return TypedResults.ValidationProblem(body.Errors!, detail: body.Detail);
        }

        return await writer.PatchAsync(orgId, id, patch, cancellationToken) switch
        {
            null => ActivityNotFound(id),
            { Activity: { } activity } => TypedResults.Ok(await ActivityResponses.EnrichedAsync(db, orgId, activity, cancellationToken)),
            var failed => TypedResults.ValidationProblem(failed.Errors!, detail: failed.Detail),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteActivity(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "id")] string id, ActivityWriter writer, CancellationToken cancellationToken) =>
        await writer.DeleteAsync(orgId, id, cancellationToken) ? TypedResults.NoContent() : ActivityNotFound(id);

    public static async Task<Ok<ErasureResponse>> EraseContactActivities(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "contact_id")] string contactId, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        // A concurrent write to one of the contact's activities makes the repeatable-read transaction
        // fail to serialize (or deadlock); that writer went on, so erasing again succeeds.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return TypedResults.Ok(new ErasureResponse(await EraseAsync(orgId, contactId, db, cancellationToken)));
            }
            catch (Exception exception) when (attempt < 5 && (exception as PostgresException ?? exception.InnerException as PostgresException)
                                                  is { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
            {
                // Rolled back with the transaction's disposal; the next attempt starts afresh.
            }
        }
    }

    private static async Task<int> EraseAsync(string orgId, string contactId, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        // One transaction, so the activities and every stored idempotent response that repeats them go together.
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var ids = await db.Activities.FromSql($"SELECT * FROM activities WHERE org_id = {orgId} AND contact_id = {contactId} FOR UPDATE")
            .Select(a => a.Id).ToListAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM idempotency_keys
            WHERE org_id = {orgId}
              AND activity_ids && {ids.ToArray()}::text[]
            """, cancellationToken);
        var deleted = await db.Activities.Where(a => a.OrgId == orgId && ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
        // Erased means erased: the contact's directory entry (name, email) goes too, and the delete
        // events carry the id only, no snapshot of the content.
        await db.Contacts.Where(c => c.OrgId == orgId && c.Id == contactId).ExecuteDeleteAsync(cancellationToken);
        await ChangeLog.RecordAsync(db, orgId, ids.Select(id => new Change(ChangeKinds.Deleted, id)).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static string ActivityLocation(string orgId, string id) => $"/orgs/{Uri.EscapeDataString(orgId)}/activities/{id}";

    private static Ok<T> Replayed<T>(HttpContext http, T body)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        return TypedResults.Ok(body);
    }

    private static ProblemHttpResult? CheckIdempotencyKey(string? key) =>
        key is not null && (key.Length is 0 or > 255 || key.Any(char.IsControl))
            ? TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = ["The Idempotency-Key header must be 1-255 printable characters."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "The Idempotency-Key header is invalid.",
            })
            : null;

    private static ProblemHttpResult Failure(HttpContext http, WriteResult result)
    {
        switch (result.Status)
        {
            case WriteStatus.Invalid:
                return TypedResults.Problem(new HttpValidationProblemDetails(result.Errors!)
                {
                    Status = StatusCodes.Status400BadRequest,
                    Detail = "Nothing was written: one or more activities are invalid; see errors.",
                });
            case WriteStatus.ReusedWithAnotherBody:
                return TypedResults.Problem(new HttpValidationProblemDetails(result.Errors!)
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Detail = "This idempotency key or external_id was already used for a different request; nothing was written.",
                });
            default:
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    detail: "The same request is still being processed; retry after the time in Retry-After to get its result.");
        }
    }

    private static ProblemHttpResult ActivityNotFound(string id) =>
        TypedResults.Problem(detail: $"No activity '{id}' in this org.", statusCode: StatusCodes.Status404NotFound);
}
