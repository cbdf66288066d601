using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Dialects.Topo;

/// <summary>Topo's <c>GET /v1/activities</c> over the org's feed (the org is the token's).</summary>
public static class TopoApi
{
    public static RouteGroupBuilder MapTopo(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapSourceGroup("/v1", "topo");
        group.MapGet("/activities", ListTopoActivities).WithName(nameof(ListTopoActivities))
            .WithSummary("Topo: list activities")
            .WithDescription("Topo's activity list over the token's org, newest `created_at` first, in Topo's shape. `personId` is the contact; the other payload ids are the metadata members `organization_id`, `sequence_id`, `sequence_template_id`, `message_id`, `hot_lead_id`, `calendar_event_id`, `task_id`. `resource_type` + `event_type` select the type `<resource>.<event>` (lower case); either alone selects every type with that half. Unknown query parameters are ignored; a bad value of a known one is a 400.")
            .WithQueryParameters(Parameters);
        return group;
    }

    public static async Task<Results<Ok<TopoList>, ValidationProblem>> ListTopoActivities(HttpContext http, ActivityFeedDb db)
    {
        var cancellationToken = http.RequestAborted;
        var orgId = SourceIds.OrgOf(http.User);
        var (request, errors) = await TopoRequest.ParseAsync(http.Request.Query, db, orgId, cancellationToken);
        if (errors.Count > 0)
        {
            return DialectRoutes.InvalidQuery(errors);
        }

        var filtered = FeedQuery.Filtered(db, orgId, request.Filters);
        var (rows, hasMore) = await OffsetPage.FetchAsync(FeedQuery.Page(filtered, request.Filters, null), request.Page, request.Size, cancellationToken);
        // Topo always answers with the totals.
        var total = await filtered.LongCountAsync(cancellationToken);
        return TypedResults.Ok(new TopoList(rows.Select(TopoActivity.From).ToList(), total, OffsetPage.TotalPages(total, request.Size), hasMore));
    }

    private static readonly QueryParameter[] Parameters =
    [
        new("page", JsonSchemaType.Integer, "1-based page, within the first 10,000 rows.", Minimum: 1, Default: 1),
        new("size", JsonSchemaType.Integer, "Items per page.", Minimum: 1, Maximum: 100, Default: 10),
        new("sort_by", JsonSchemaType.String, "Sort column.", Default: "created_at", Enum: ["created_at"]),
        new("sort_order", JsonSchemaType.String, "Sort direction.", Default: "desc", Enum: TopoRequest.SortOrders),
        new("person_id", JsonSchemaType.String, "The person (the activity's contact_id)."),
        new("sequence_id", JsonSchemaType.String, "The sequence run (metadata.sequence_id)."),
        new("sequence_template_id", JsonSchemaType.String, "The sequence template (metadata.sequence_template_id)."),
        new("resource_type", JsonSchemaType.String, "The resource half of the type.", Enum: TopoRequest.ResourceTypes),
        new("channel", JsonSchemaType.String, "The activity's channel.", Enum: TopoRequest.Channels),
        new("event_type", JsonSchemaType.String, "The event half of the type.", Enum: TopoRequest.EventTypes),
        new("created_at_after", JsonSchemaType.String, "Created strictly after this timestamp.", Format: "date-time"),
        new("created_at_before", JsonSchemaType.String, "Created strictly before this timestamp.", Format: "date-time"),
    ];
}
