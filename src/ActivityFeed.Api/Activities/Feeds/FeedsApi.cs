using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Activities.Feeds;

public static class FeedsApi
{
    public static readonly HashSet<string> KnownParameters = [.. PageRequest.ParameterNames, .. FeedFilters.BoundParameters];

    public static RouteGroupBuilder MapFeeds(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}").WithTags("Feeds")
            .RequireScope(Scopes.ActivitiesRead)
            .WithQueryParameters(Parameters)
            .ProducesValidationProblem();
        group.MapGet("/activities", ListActivities).WithName(nameof(ListActivities))
            .WithSummary("The org's feed")
            .WithDescription(PagingDescription);
        group.MapGet("/contacts/{contact_id}/activities", ListContactActivities).WithName(nameof(ListContactActivities))
            .WithSummary("A contact's timeline")
            .WithDescription(PagingDescription);
        group.MapGet("/records/{record_id}/activities", ListRecordActivities).WithName(nameof(ListRecordActivities))
            .WithSummary("A table record's activities")
            .WithDescription(PagingDescription);
        return group;
    }

    private const string PagingDescription =
        "Newest first by `occurred_at` unless `sort_by`/`sort_order` say otherwise; ties broken by `id`. Page with `page` (first 10,000 rows) or with the `next` cursor of the previous page, which carries the filters and sort: send it alone, or with the same values. `metadata.<member>=<value>` (repeatable, ANDed) keeps activities whose top-level metadata member equals the value: text for a string member, the same number for a number member (5, 5.0, 5e0), true/false for a boolean.";

    public static Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListActivities(
        [FromRoute(Name = "org_id")] string orgId, HttpContext http, [AsParameters] FeedServices services) =>
        ListAsync(orgId, "org", null, http, services);

    public static Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListContactActivities(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "contact_id")] string contactId, HttpContext http, [AsParameters] FeedServices services) =>
        ListAsync(orgId, $"contact:{contactId}", ("contact_id", contactId), http, services);

    public static Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListRecordActivities(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "record_id")] string recordId, HttpContext http, [AsParameters] FeedServices services) =>
        ListAsync(orgId, $"record:{recordId}", ("record_id", recordId), http, services);

    private static async Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListAsync(
        string orgId, string feed, (string Name, string Value)? scope, HttpContext http, FeedServices services)
    {
        var errors = new Dictionary<string, string[]>();
        var request = await FeedListRequest.ParseAsync(http, orgId, feed, scope, new Dictionary<string, string>(), KnownParameters, services.Cursors, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "One or more query parameters are invalid; see errors.");
        }

        var (filters, page, cursor) = (request.Filters, request.Page, request.Cursor);
        var offset = cursor is null ? page.Offset : 0;
        var (rows, total) = await ActivityRows.PageAsync(services.Db, FeedSql.Page(orgId, filters, cursor, offset, page.Take + 1),
            page.IncludeTotal ? FeedSql.Count(orgId, filters) : null, ActivityRows.Read, http.RequestAborted);
        var hasMore = rows.Count > page.Take;
        var items = rows.Take(page.Take).Select(ActivityMapping.ToResponse).ToList();
        return TypedResults.Ok(await request.EnvelopeAsync(http, services.Cursors, items, hasMore,
            a => (FeedQuery.SortValue(a, filters.SortBy), a.Id), total));
    }

    public static readonly QueryParameter[] Parameters =
    [
        new("type", JsonSchemaType.Array, "Activity types; repeat the parameter or separate with commas. Matches any."),
        .. FeedFilters.IdFilters.Select(name => new QueryParameter(name, JsonSchemaType.String,
            name == "relation_id" ? "With relation_type: activities related to this object." : $"Only activities whose {name} is this.")),
        new("relation_type", JsonSchemaType.String, "Only activities related to this kind of object (product, task, …)."),
        new("tag", JsonSchemaType.Array, "Tags; repeat or separate with commas. Matches activities with any of them."),
        new("channel", JsonSchemaType.String, "Only this channel (EMAIL, LINKEDIN, MANUAL, …)."),
        new("pinned", JsonSchemaType.Boolean, "true: pinned only; false: unpinned only."),
        .. FeedFilters.RangeParameters.Select(name => new QueryParameter(name, JsonSchemaType.String,
            $"Timestamp bound ({name.Replace('_', ' ')}), compared at microsecond precision.", Format: "date-time")),
        new("sort_by", JsonSchemaType.String, "Sort column; ties are broken by id.", Default: "occurred_at", Enum: ["occurred_at", "created_at", "updated_at"]),
        new("sort_order", JsonSchemaType.String, "Sort direction.", Default: "desc", Enum: ["desc", "asc"]),
        .. QueryParameter.Paging,
    ];
}

public sealed record FeedServices(ActivityFeedDb Db, CursorCodec Cursors);
