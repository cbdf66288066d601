using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Dialects.Crm;

/// <summary>
/// The CRM seed's activities: the company scope (an org key) over the org's activities, the user
/// scope (a user token) over the token user's inbox. The org is the token's.
/// </summary>
public static partial class CrmApi
{
    public const string CompanyPath = "/api/company/crm/v202506/activities";
    public const string UserPath = "/api/user/crm/v202506/activities";

    public static IEndpointRouteBuilder MapCrm(this IEndpointRouteBuilder routes)
    {
        var company = routes.MapGroup(CompanyPath).WithTags("crm")
            .AddEndpointFilter((context, next) => context.HttpContext.User.GetUserId() is null
                ? next(context)
                : ValueTask.FromResult<object?>(Forbidden("The company scope takes an org API key; a user token reads its own activities under " + UserPath + ".")))
            .ProducesValidationProblem();
        company.MapGet("/", ListCompanyActivities).WithName(nameof(ListCompanyActivities)).RequireScope(Scopes.ActivitiesRead)
            .WithSummary("CRM: list the company's activities")
            .WithDescription("Newest `created_at` first. `user_id` and `read_at` are the first recipient's. Unknown query parameters are ignored; a bad value of a known one is a 400.")
            .WithQueryParameters(ListParameters);
        company.MapGet("/{id}", GetCompanyActivity).WithName(nameof(GetCompanyActivity)).RequireScope(Scopes.ActivitiesRead)
            .WithSummary("CRM: get a company activity")
            .WithDescription("One activity in the CRM item shape; `user_id` and `read_at` are the first recipient's. Another org's or an unknown id is a 404.");
        company.MapPost("/", CreateCompanyActivity).WithName(nameof(CreateCompanyActivity)).RequireScope(Scopes.ActivitiesWrite)
            .WithSummary("CRM: create an activity")
            .WithDescription("`slug` is the activity type (built in or registered). With `user_id` that user is the recipient, so it lands in their inbox and notifies them (inbox stream, webhooks).");
        company.MapPatch("/{id}", PatchCompanyActivity).WithName(nameof(PatchCompanyActivity)).RequireScope(Scopes.ActivitiesWrite)
            .Accepts<CrmPatchRequest>("application/merge-patch+json", "application/json")
            .WithSummary("CRM: update an activity")
            .WithDescription("Changes `title`, `description`, `formatted_description`. `read_at` is a user's state: PATCH it on the user scope (here it is a 400).");
        company.MapDelete("/{id}", DeleteCompanyActivity).WithName(nameof(DeleteCompanyActivity)).RequireScope(Scopes.ActivitiesWrite)
            .WithSummary("CRM: delete an activity")
            .WithDescription("Deletes the activity for everyone (its inbox items go with it); 204.");

        MapUserScope(routes);
        return routes;
    }

    public static async Task<Results<Ok<CrmList>, ValidationProblem>> ListCompanyActivities(HttpContext http, ActivityFeedDb db)
    {
        var request = CrmListRequest.Parse(http.Request.Query, out var errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var filtered = FeedQuery.Filtered(db, SourceIds.OrgOf(http.User), request.Filters);
        var (rows, hasMore) = await OffsetPage.FetchAsync(WithFirstRecipient(db, FeedQuery.Page(filtered, request.Filters, null)),
            request.Page, request.PerPage, http.RequestAborted);
        return TypedResults.Ok(new CrmList(rows.Select(r => r.ToItem()).ToList(), new CrmMeta(request.Page, request.PerPage, hasMore)));
    }

    public static async Task<Results<Ok<CrmActivity>, ProblemHttpResult>> GetCompanyActivity(
        [FromRoute(Name = "id")] string id, HttpContext http, ActivityFeedDb db) =>
        await FindAsync(db, SourceIds.OrgOf(http.User), id, http.RequestAborted) is { } row ? TypedResults.Ok(row.ToItem()) : NotFound(id);

    public static async Task<Results<Created<CrmActivity>, ValidationProblem, ProblemHttpResult>> CreateCompanyActivity(
        CrmCreateRequest request, HttpContext http, ActivityWriter writer, ActivityFeedDb db)
    {
        var orgId = SourceIds.OrgOf(http.User);
        var errors = new Dictionary<string, string[]>();
        if (request.Slug is null)
        {
            errors["slug"] = ["slug is required: the activity type, e.g. order_placed."];
        }

        var native = request.ToNative(errors);
        if (errors.Count > 0)
        {
            return Invalid(errors, "The activity is invalid; see errors.");
        }

        var result = await writer.CreateAsync(orgId, [native], prefixItems: false, idempotencyKey: null, http.RequestAborted);
        if (result.Status != WriteStatus.Created)
        {
            return result.Errors is { } failed
                ? Invalid(failed.GroupBy(e => CrmCreateRequest.FieldName(e.Key)).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray()), "Nothing was written: the activity is invalid; see errors.")
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: "The write conflicted with another; retry.");
        }

        // The item is read back for its first recipient's read state, after the write committed: a
        // concurrent delete or erasure can remove it in between. Telling the client so beats a 201 of
        // nothing; a blind retry would bring back what the other request removed.
        var id = result.Items[0].Id;
        return await FindAsync(db, orgId, id, http.RequestAborted) is { } created
            ? TypedResults.Created($"{CompanyPath}/{id}", created.ToItem())
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: $"Activity {id} was created, then deleted by another request (a delete or an erasure) before it could be returned; it no longer exists.");
    }

    public static async Task<Results<Ok<CrmActivity>, ValidationProblem, ProblemHttpResult>> PatchCompanyActivity(
        [FromRoute(Name = "id")] string id, HttpContext http, ActivityWriter writer, ActivityFeedDb db)
    {
        var body = await ReadPatchAsync(http);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var patch = body.Patch!;
        if (patch.ContainsKey(ReadAt))
        {
            return Invalid(new Dictionary<string, string[]> { [ReadAt] = [$"read_at is the recipient's own state: the user marks it on {UserPath}/{{id}}."] }, "read_at cannot be changed in the company scope.");
        }

        var orgId = SourceIds.OrgOf(http.User);
        var result = await writer.PatchAsync(orgId, id, patch, http.RequestAborted);
        if (result is null)
        {
            return NotFound(id);
        }

        if (result.Errors is { } errors)
        {
            return Invalid(errors, result.Detail);
        }

        return await FindAsync(db, orgId, id, http.RequestAborted) is { } row ? TypedResults.Ok(row.ToItem()) : NotFound(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCompanyActivity(
        [FromRoute(Name = "id")] string id, HttpContext http, ActivityWriter writer) =>
        await writer.DeleteAsync(SourceIds.OrgOf(http.User), id, http.RequestAborted) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>Each activity with its first recipient and that user's read_at (a primary-key lookup per listed row).</summary>
    public static IQueryable<CrmRow> WithFirstRecipient(ActivityFeedDb db, IQueryable<Activity> activities) =>
        activities.Select(a => new CrmRow(a, a.Recipients.FirstOrDefault(),
            db.InboxItems.Where(i => i.OrgId == a.OrgId && i.UserId == a.Recipients.FirstOrDefault() && i.ActivityId == a.Id).Select(i => i.ReadAt).FirstOrDefault()));

    private static Task<CrmRow?> FindAsync(ActivityFeedDb db, string orgId, string id, CancellationToken cancellationToken) =>
        WithFirstRecipient(db, db.Activities.AsNoTracking().Where(a => a.OrgId == orgId && a.Id == id)).SingleOrDefaultAsync(cancellationToken);

    private static readonly QueryParameter[] ListParameters =
    [
        new("page", JsonSchemaType.Integer, "1-based page, within the first 10,000 rows.", Minimum: 1, Default: 1),
        new("per_page", JsonSchemaType.Integer, "Items per page.", Minimum: 1, Maximum: 100, Default: 25),
        .. CrmListRequest.IdFilters.Select(name => new QueryParameter(name, JsonSchemaType.String, $"Only activities whose {name} is this.")),
        new("slug", JsonSchemaType.String, "Only activities of this type."),
    ];
}
