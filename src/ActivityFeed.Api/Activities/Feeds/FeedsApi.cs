using System.Text.RegularExpressions;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Activities.Feeds;

public static partial class FeedsApi
{
    private static readonly HashSet<string> KnownParameters = [.. PageRequest.ParameterNames, .. FeedFilters.BoundParameters];

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
        "Newest first by `occurred_at` unless `sort_by`/`sort_order` say otherwise; ties broken by `id`. Page with `page` (first 10,000 rows) or with the `next` cursor of the previous page, which carries the filters and sort: send it alone, or with the same values.";

    public static Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListActivities(
        [FromRoute(Name = "org_id")] string orgId, HttpContext http, [AsParameters] FeedServices services) =>
        ListAsync(orgId, "org", null, http, services);

    public static Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListContactActivities(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "contact_id")] string contactId, HttpContext http, [AsParameters] FeedServices services) =>
        ListAsync(orgId, $"contact:{contactId}", ("contact_id", contactId), http, services);

    public static Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListRecordActivities(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "record_id")] string recordId, HttpContext http, [AsParameters] FeedServices services) =>
        ListAsync(orgId, $"record:{recordId}", ("record_id", recordId), http, services);

    [GeneratedRegex(ActivityRules.ClientIdPattern)]
    private static partial Regex ClientId();

    private static async Task<Results<Ok<ListEnvelope<ActivityResponse>>, ValidationProblem>> ListAsync(
        string orgId, string feed, (string Name, string Value)? scope, HttpContext http, FeedServices services)
    {
        var cancellationToken = http.RequestAborted;
        feed = $"{orgId}/{feed}"; // a cursor is good for one feed of one org
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        PageRequest.RejectUnknown(query, KnownParameters, errors);
        var page = PageRequest.Parse(query, errors);
        var given = query.Where(q => FeedFilters.BoundParameters.Contains(q.Key))
            .ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray());
        var requested = FeedFilters.Parse(given, errors);

        var filters = requested;
        FeedCursor? cursor = null;
        if (page.Next is { Length: > 0 } next)
        {
            cursor = await services.Cursors.DecodeAsync(next, cancellationToken);
            var cursorErrors = new Dictionary<string, string[]>();
            var fromCursor = cursor is null ? null
                : FeedFilters.Parse(cursor.Parameters.ToDictionary(p => p.Key, p => new[] { p.Value }), cursorErrors);
            if (cursor is null || cursor.Feed != feed || cursorErrors.Count > 0 || fromCursor is null)
            {
                errors["next"] = ["The cursor was not issued for this feed, or was altered. Start again without next."];
            }
            else
            {
                foreach (var name in given.Keys.Where(name => !errors.ContainsKey(name)))
                {
                    if (requested.Canonical.GetValueOrDefault(name) != fromCursor.Canonical.GetValueOrDefault(name))
                    {
                        errors[name] = [$"{name} differs from the value the cursor was made with; send next alone, or with the same filters and sort."];
                    }
                }

                filters = fromCursor;
            }
        }

        if (scope is var (scopeName, scopeValue))
        {
            if (!ClientId().IsMatch(scopeValue))
            {
                errors[scopeName] = [$"{scopeName} must be 1-128 characters of A-Z a-z 0-9 _ . : -"];
            }
            else if (filters.Ids.TryGetValue(scopeName, out var fromQuery) && fromQuery != scopeValue)
            {
                errors[scopeName] = [$"{scopeName} is given by the path; a different one in the query would match nothing."];
            }

            filters = filters with { Ids = new Dictionary<string, string>(filters.Ids) { [scopeName] = scopeValue } };
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "One or more query parameters are invalid; see errors.");
        }

        var filtered = FeedQuery.Filtered(services.Db, orgId, filters);
        var paged = FeedQuery.Page(filtered, filters, cursor);
        if (cursor is null && page.Offset > 0)
        {
            paged = paged.Skip(page.Offset);
        }

        var rows = await paged.Take(page.Take + 1).ToListAsync(cancellationToken);
        long? total = page.IncludeTotal ? await filtered.LongCountAsync(cancellationToken) : null;
        var hasMore = rows.Count > page.Take;
        var items = rows.Take(page.Take).ToList();
        string? nextCursor = null;
        if (hasMore)
        {
            var last = items[^1];
            var cursorParameters = filters.Canonical.Where(p => scope is null || p.Key != scope.Value.Name).ToDictionary();
            nextCursor = await services.Cursors.EncodeAsync(
                new FeedCursor(feed, cursorParameters, FeedCursor.ToMicros(FeedQuery.SortValue(last, filters.SortBy)), last.Id), cancellationToken);
            Links.AddNext(http, nextCursor);
        }

        var enriched = await services.Enricher.EnrichAsync(orgId, items.Select(ActivityMapping.ToResponse).ToList(), cancellationToken);
        return TypedResults.Ok(new ListEnvelope<ActivityResponse>(
            enriched, nextCursor, hasMore, page.Take, cursor is null ? page.Page : null,
            total, total is { } t ? page.TotalPages(t) : null));
    }

    private static readonly QueryParameter[] Parameters =
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

public sealed record FeedServices(ActivityFeedDb Db, CursorCodec Cursors, Directory.DirectoryEnricher Enricher);
