using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Inbox;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Dialects.Crm;

/// <summary>The user scope: the token user's inbox, read and unread and archived as the seed's rules say.</summary>
public static partial class CrmApi
{
    private const string ReadAt = "read_at";
    private static readonly string[] NotPatchable = ["Not a field of a CRM activity that can be changed (title, description, formatted_description, read_at)."];
    private static readonly string[] ContentMembers = ["title", "description", "formatted_description"];

    private static void MapUserScope(IEndpointRouteBuilder routes)
    {
        // A user token holds activities:read only; its writes here change nothing but its own inbox state.
        var user = routes.MapSourceGroup(UserPath, "crm")
            .AddEndpointFilter((context, next) => context.HttpContext.User.GetUserId() is not null
                ? next(context)
                : ValueTask.FromResult<object?>(Forbidden("The user scope takes a user token (POST /orgs/{org_id}/users/{user_id}/tokens); an org API key uses " + CompanyPath + ".")));
        user.MapGet("/", ListUserActivities).WithName(nameof(ListUserActivities))
            .WithSummary("CRM: list the user's activities")
            .WithDescription("The token user's inbox (not archived), newest `created_at` first. Listing marks the listed unread items read, and shows each as it was before. Unknown query parameters are ignored; a bad value of a known one is a 400.")
            .WithQueryParameters(ListParameters);
        user.MapGet("/{id}", GetUserActivity).WithName(nameof(GetUserActivity))
            .WithSummary("CRM: get one of the user's activities")
            .WithDescription("One item of the token user's inbox with its `read_at`; reading it does not mark it read (listing does). Not a recipient: 404.");
        user.MapPatch("/{id}", PatchUserActivity).WithName(nameof(PatchUserActivity))
            .Accepts<CrmPatchRequest>("application/merge-patch+json", "application/json")
            .WithSummary("CRM: mark one of the user's activities read or unread")
            .WithDescription("`{\"read_at\": null}` marks it unread, `{\"read_at\": \"<timestamp>\"}` read at that time. Content fields need the company scope (403 here).");
        user.MapDelete("/{id}", DeleteUserActivity).WithName(nameof(DeleteUserActivity))
            .WithSummary("CRM: archive one of the user's activities")
            .WithDescription("Archives it for this user only; the activity stays for everyone else.");
    }

    public static async Task<Results<Ok<CrmList>, ValidationProblem>> ListUserActivities(HttpContext http, ActivityFeedDb db, TimeProvider clock)
    {
        var request = CrmListRequest.Parse(http.Request.Query, out var errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var (orgId, userId) = (SourceIds.OrgOf(http.User), http.User.GetUserId()!);
        var cancellationToken = http.RequestAborted;
        var (rows, hasMore) = await OffsetPage.FetchAsync(UserRows(db, orgId, userId, request), request.Page, request.PerPage, cancellationToken);

        // "Visiting the index marks all read": what this page lists; the answer shows the state before.
        if (rows.Where(r => r.ReadAt is null).Select(r => r.Activity.Id).ToArray() is { Length: > 0 } unread)
        {
            await InboxMarks.MarkAsync(db.InboxItems.Where(i => i.OrgId == orgId && i.UserId == userId && unread.Contains(i.ActivityId)),
                InboxAction.Read, Timestamps.Truncate(clock.GetUtcNow()), cancellationToken);
            await InboxSignal.NotifyAsync(db, orgId, userId, cancellationToken);
        }

        return TypedResults.Ok(new CrmList(rows.Select(r => r.ToItem()).ToList(), new CrmMeta(request.Page, request.PerPage, hasMore)));
    }

    public static async Task<Results<Ok<CrmActivity>, ProblemHttpResult>> GetUserActivity(
        [FromRoute(Name = "id")] string id, HttpContext http, ActivityFeedDb db) =>
        await FindInInboxAsync(db, http, id) is { } row ? TypedResults.Ok(row.ToItem()) : NotFound(id);

    public static async Task<Results<Ok<CrmActivity>, ValidationProblem, ProblemHttpResult>> PatchUserActivity(
        [FromRoute(Name = "id")] string id, HttpContext http, ActivityFeedDb db)
    {
        var body = await ReadPatchAsync(http);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var patch = body.Patch!;
        if (patch.Select(m => m.Key).FirstOrDefault(ContentMembers.Contains) is { } content)
        {
            return Forbidden($"{content} changes the activity for everyone: that is a company-scope write ({CompanyPath}/{{id}}, activities:write). A user changes only read_at.");
        }

        if (!patch.TryGetPropertyValue(ReadAt, out var readAt))
        {
            return Invalid(new Dictionary<string, string[]> { [ReadAt] = ["Send read_at: null to mark unread, or a timestamp to mark read."] }, "Nothing to change.");
        }

        DateTimeOffset? readTime = null;
        if (readAt is not null && !(readAt.GetValueKind() == JsonValueKind.String && Timestamps.TryParse(readAt.GetValue<string>(), out var parsed) && (readTime = Timestamps.Truncate(parsed)) is not null))
        {
            return Invalid(new Dictionary<string, string[]> { [ReadAt] = [$"read_at must be null or {Timestamps.Expectation}."] });
        }

        var (orgId, userId) = (SourceIds.OrgOf(http.User), http.User.GetUserId()!);
        var item = InboxMarks.Item(db, orgId, userId, id).Where(i => i.ArchivedAt == null);
        if (!await item.AnyAsync(http.RequestAborted))
        {
            return NotFound(id);
        }

        var changed = readTime is { } at
            ? await InboxMarks.MarkReadAtAsync(item, at, http.RequestAborted)
            : await InboxMarks.MarkAsync(item, InboxAction.Unread, default, http.RequestAborted);
        if (changed > 0)
        {
            await InboxSignal.NotifyAsync(db, orgId, userId, http.RequestAborted);
        }

        return await FindInInboxAsync(db, http, id) is { } row ? TypedResults.Ok(row.ToItem()) : NotFound(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteUserActivity(
        [FromRoute(Name = "id")] string id, HttpContext http, ActivityFeedDb db, TimeProvider clock)
    {
        var (orgId, userId) = (SourceIds.OrgOf(http.User), http.User.GetUserId()!);
        var archived = await InboxMarks.MarkAsync(InboxMarks.Item(db, orgId, userId, id), InboxAction.Archive, Timestamps.Truncate(clock.GetUtcNow()), http.RequestAborted);
        if (archived == 0)
        {
            return NotFound(id);
        }

        await InboxSignal.NotifyAsync(db, orgId, userId, http.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>The user's inbox (not archived) in the list's order, each item with its read_at.</summary>
    public static IQueryable<CrmRow> UserRows(ActivityFeedDb db, string orgId, string userId, CrmListRequest request) =>
        InboxQuery.Page(InboxQuery.Matching(db, orgId, userId, InboxStatus.All, request.Filters), request.Filters, null)
            .Select(i => new CrmRow(i.Activity!, i.UserId, i.ReadAt));

    private static Task<CrmRow?> FindInInboxAsync(ActivityFeedDb db, HttpContext http, string id) =>
        InboxMarks.Item(db, SourceIds.OrgOf(http.User), http.User.GetUserId()!, id).AsNoTracking()
            .Where(i => i.ArchivedAt == null)
            .Select(i => new CrmRow(i.Activity!, i.UserId, i.ReadAt))
            .SingleOrDefaultAsync(http.RequestAborted);

    /// <summary>A JSON object body, or the problem that answers it (415 for another media type, 400 for bad JSON or members the seed does not patch).</summary>
    private static async Task<(JsonObject? Patch, ProblemHttpResult? Problem)> ReadPatchAsync(HttpContext http)
    {
        if (!PatchBody.IsJson(http.Request))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: "PATCH takes a JSON object: Content-Type application/json or application/merge-patch+json."));
        }

        var body = await PatchBody.ReadAsync(http.Request, http.RequestAborted);
        if (body.Patch is not { } patch)
        {
            return (null, ValidationFailure(body.Errors!, body.Detail));
        }

        var unknown = patch.Select(m => m.Key).Where(name => name != ReadAt && !ContentMembers.Contains(name)).ToList();
        return unknown.Count > 0
            ? (null, ValidationFailure(unknown.ToDictionary(name => name, _ => NotPatchable), "The patch has unknown fields."))
            : (patch, null);
    }

    private static ProblemHttpResult ValidationFailure(IDictionary<string, string[]> errors, string? detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Detail = detail });

    private static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        detail is null ? DialectRoutes.InvalidQuery(errors) : TypedResults.ValidationProblem(errors, detail: detail);

    private static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: detail);

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No activity '{id}' is visible here.");
}

/// <summary>What a CRM PATCH may carry (documentation of the body; the handler reads the raw JSON to tell null from absent).</summary>
public sealed record CrmPatchRequest(string? Title, string? Description, string? FormattedDescription, DateTimeOffset? ReadAt);
