using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Dialects.Salesloft;

/// <summary>Salesloft's <c>GET /v2/activity_histories</c> over the org's feed (the org is the token's).</summary>
public static class SalesloftApi
{
    public static RouteGroupBuilder MapSalesloft(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapSourceGroup("/v2", "salesloft");
        group.MapGet("/activity_histories", ListActivityHistories).WithName(nameof(ListActivityHistories))
            .WithSummary("Salesloft: list past activities")
            .WithDescription("Salesloft's activity history over the token's org, in Salesloft's shape. `id` is `<type>-<activity id>`, `user_guid` the actor, the resource the contact (`person`) or else an `account`/`crm_opportunity` relation; `static_data` is the metadata's `static_data` member, `dynamic_data` the rest. Unknown query parameters are ignored; a bad value of a known one is a 400.")
            .WithQueryParameters(Parameters);
        return group;
    }

    public static async Task<Results<Ok<SalesloftList>, ValidationProblem>> ListActivityHistories(HttpContext http, ActivityFeedDb db)
    {
        var request = SalesloftRequest.Parse(http.Request.Query, out var errors);
        if (errors.Count > 0)
        {
            return DialectRoutes.InvalidQuery(errors);
        }

        var cancellationToken = http.RequestAborted;
        var filtered = Filtered(db, SourceIds.OrgOf(http.User), request);
        var (rows, hasMore) = await OffsetPage.FetchAsync(FeedQuery.Page(filtered, request.Filters, null), request.Page, request.PerPage, cancellationToken);
        long? total = request.IncludePagingCounts ? await filtered.LongCountAsync(cancellationToken) : null;
        var paging = new SalesloftPaging(request.PerPage, request.Page, hasMore ? request.Page + 1 : null, request.Page > 1 ? request.Page - 1 : null,
            total is { } count ? OffsetPage.TotalPages(count, request.PerPage) : null, total);
        return TypedResults.Ok(new SalesloftList(
            new SalesloftMetadata(request.Filtering, paging, new SalesloftSorting(request.SortBy, request.SortDirection)),
            rows.Select(SalesloftActivity.From).ToList()));
    }

    /// <summary>The feed query with Salesloft's resource and id conditions on top.</summary>
    public static IQueryable<Activities.Activity> Filtered(ActivityFeedDb db, string orgId, SalesloftRequest request)
    {
        var filtered = FeedQuery.Filtered(db, orgId, request.Filters);
        if (request.Resource is { } resource)
        {
            filtered = filtered.Where(resource);
        }

        if (request.Ids is { Count: > 0 } given)
        {
            var ids = given.ToArray();
            filtered = filtered.Where(a => ids.Contains(a.Id));
        }

        return filtered;
    }

    private static readonly QueryParameter[] Parameters =
    [
        new("per_page", JsonSchemaType.Integer, "Items per page.", Minimum: 1, Maximum: 100, Default: 25),
        new("page", JsonSchemaType.Integer, "1-based page, within the first 10,000 rows.", Minimum: 1, Default: 1),
        new("include_paging_counts", JsonSchemaType.Boolean, "Adds total_pages and total_count to metadata.paging.", Default: false),
        new("sort_by", JsonSchemaType.String, "Sort column; ties broken by id.", Default: "occurred_at", Enum: SalesloftRequest.SortFields),
        new("sort_direction", JsonSchemaType.String, "Sort direction (any case).", Default: "DESC", Enum: SalesloftRequest.Directions),
        new("type", JsonSchemaType.Array, "Activity types: repeat (type[]=), comma-separate, or type[<resource_type>][]= to also ask for that resource type."),
        .. new[] { "occurred_at", "updated_at" }.SelectMany(field => new[] { "gt", "gte", "lt", "lte" }.Select(op =>
            new QueryParameter($"{field}[{op}]", JsonSchemaType.String, $"{field} {op} this timestamp, microsecond precision.", Format: "date-time"))),
        new("pinned", JsonSchemaType.Boolean, "true: pinned only; false: unpinned only."),
        new("resource_type", JsonSchemaType.Array, "person, account or crm_opportunity; repeatable.", Enum: SalesloftRequest.ResourceTypes),
        new("resource_id", JsonSchemaType.String, "The resource's id; needs resource_type."),
        new("id", JsonSchemaType.Array, "Activity ids, as <type>-<id> or bare."),
        new("user_guid", JsonSchemaType.String, "The acting user (the activity's actor_id)."),
    ];
}
