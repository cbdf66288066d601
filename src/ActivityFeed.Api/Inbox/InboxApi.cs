using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using ActivityFeed.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Inbox;

public enum InboxAction
{
    Read,
    Unread,
    Seen,
    Unseen,
    Archive,
    Unarchive,
}

public static class InboxApi
{
    private const string MarkRead = "mark_read";

    private static readonly HashSet<string> ListParameters = [.. FeedsApi.KnownParameters, InboxStatuses.Parameter, MarkRead];
    private static readonly HashSet<string> FilterParameters = [.. FeedFilters.BoundParameters, InboxStatuses.Parameter];

    public static RouteGroupBuilder MapInbox(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}/users/{user_id}/inbox").WithTags("Inbox")
            .RequireScope(Scopes.ActivitiesRead)
            .ProducesValidationProblem();

        group.MapGet("/", ListInbox).WithName(nameof(ListInbox))
            .WithSummary("A user's inbox")
            .WithDescription("The activities whose `recipients` include the user (`me` = the user of a user token), each with the user's `read_at`, `seen_at` and `archived_at`. Every feed filter, sort and both paging styles apply; `status` picks a tab. `mark_read=true` marks read (and seen) the unread items this page lists, and the page shows them as they were before; walk with `next` so marking cannot shift later pages. Marking needs the user's own token or a key with `activities:write`.")
            .WithQueryParameters([.. FeedsApi.Parameters, Status("all"), new QueryParameter(MarkRead, JsonSchemaType.Boolean, "Mark the unread items of this page read.", Default: false)]);
        group.MapGet("/counts", GetInboxCounts).WithName(nameof(GetInboxCounts))
            .WithSummary("Unread, unseen and total counts of a user's inbox")
            .WithDescription("Over the items the filters match (the list's filters, `status` included); archived items are never counted, so `status=archived` is a 400.")
            .WithQueryParameters([.. FeedsApi.Parameters.Where(p => !PageRequest.ParameterNames.Contains(p.Name)), Status("all")]);

        var actions = group.MapGroup("/").WithValidation();
        Action(actions.MapPost("/read", MarkInboxRead), nameof(MarkInboxRead), "Mark items read (and seen)");
        Action(actions.MapPost("/unread", MarkInboxUnread), nameof(MarkInboxUnread), "Mark items unread");
        Action(actions.MapPost("/seen", MarkInboxSeen), nameof(MarkInboxSeen), "Mark items seen");
        Action(actions.MapPost("/unseen", MarkInboxUnseen), nameof(MarkInboxUnseen), "Mark items unseen");
        Action(actions.MapPost("/archive", ArchiveInboxItems), nameof(ArchiveInboxItems), "Archive items");
        Action(actions.MapPost("/unarchive", UnarchiveInboxItems), nameof(UnarchiveInboxItems), "Unarchive items", defaultStatus: "archived");
        return group;
    }

    private static QueryParameter Status(string fallback) =>
        new(InboxStatuses.Parameter, JsonSchemaType.String, "The tab: `all` (everything not archived), `unread`, `read`, `unseen` or `archived`.", Default: fallback, Enum: InboxStatuses.Names);

    private static void Action(RouteHandlerBuilder endpoint, string name, string summary, string defaultStatus = "all") =>
        endpoint.WithName(name).WithSummary(summary)
            .WithDescription($"Body `{{\"ids\": [...]}}` (activity ids; ids not in this inbox are ignored) or `{{\"all\": true}}`: every item the query's filters match, `status` included (default `{defaultStatus}`), so one tab can be marked without touching the rest. Answers how many items changed. Needs the user's own token or a key with `activities:write`.")
            .WithQueryParameters([.. FeedsApi.Parameters.Where(p => !PageRequest.ParameterNames.Contains(p.Name) && p.Name is not ("sort_by" or "sort_order")), Status(defaultStatus)]);

    public static async Task<Results<Ok<ListEnvelope<InboxItemResponse>>, ValidationProblem, ProblemHttpResult>> ListInbox(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string pathUser, HttpContext http, [AsParameters] InboxServices services)
    {
        var errors = new Dictionary<string, string[]>();
        var status = InboxStatuses.Parse(http.Request.Query, InboxStatus.All, errors);
        var markRead = false;
        if (http.Request.Query.TryGetValue(MarkRead, out var markText) && !bool.TryParse(markText, out markRead))
        {
            errors[MarkRead] = ["mark_read must be true or false."];
        }

        if (InboxOwner.Resolve(http.User, pathUser, changesState: markRead, out var userId) is { } denied)
        {
            return denied;
        }

        var request = await FeedListRequest.ParseAsync(http, orgId, $"inbox:{userId}", null,
            new Dictionary<string, string> { [InboxStatuses.Parameter] = InboxStatuses.Name(status) }, ListParameters, services.Cursors, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var (filters, page, cursor) = (request.Filters, request.Page, request.Cursor);
        status = Enum.Parse<InboxStatus>(request.Extras[InboxStatuses.Parameter], ignoreCase: true);
        var cancellationToken = http.RequestAborted;
        var offset = cursor is null ? page.Offset : 0;
        var (rows, total) = await ActivityRows.PageAsync(services.Db, InboxSql.Page(orgId, userId, status, filters, cursor, offset, page.Take + 1),
            page.IncludeTotal ? InboxSql.Count(orgId, userId, status, filters) : null, InboxSql.Read, cancellationToken);
        var hasMore = rows.Count > page.Take;
        var items = rows.Take(page.Take).ToList();
        if (markRead && items.Where(i => i.ReadAt is null).Select(i => i.Row.Activity.Id).ToArray() is { Length: > 0 } unread)
        {
            await InboxMarks.MarkAsync(services.Db.InboxItems.Where(i => i.OrgId == orgId && i.UserId == userId && unread.Contains(i.ActivityId)),
                InboxAction.Read, Timestamps.Truncate(services.Clock.GetUtcNow()), cancellationToken);
            await InboxSignal.NotifyAsync(services.Db, orgId, userId, cancellationToken);
        }

        var responses = items.Select(i => new InboxItemResponse(ActivityMapping.ToResponse(i.Row), i.ReadAt, i.SeenAt, i.ArchivedAt)).ToList();
        return TypedResults.Ok(await request.EnvelopeAsync(http, services.Cursors, responses, hasMore,
            i => (FeedQuery.SortValue(i, filters.SortBy), i.Id), total));
    }

    public static async Task<Results<Ok<InboxCountsResponse>, ValidationProblem, ProblemHttpResult>> GetInboxCounts(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string pathUser, HttpContext http, ActivityFeedDb db)
    {
        if (InboxOwner.Resolve(http.User, pathUser, changesState: false, out var userId) is { } denied)
        {
            return denied;
        }

        var errors = new Dictionary<string, string[]>();
        var (status, filters) = ParseFilters(http, InboxStatus.All, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        if (status == InboxStatus.Archived)
        {
            return Invalid(new Dictionary<string, string[]> { [InboxStatuses.Parameter] = ["Counts never include archived items; list status=archived with include_total=true instead."] });
        }

        // The whole inbox: the counters the database keeps. Anything narrower: counted from the items.
        var counts = status == InboxStatus.All && !filters.FiltersBeyondTimeRanges && !filters.HasTimeRanges
            ? await db.InboxCounts.AsNoTracking().Where(c => c.OrgId == orgId && c.UserId == userId)
                  .Select(c => new InboxCountsResponse(c.Unread, c.Unseen, c.Total)).SingleOrDefaultAsync(http.RequestAborted)
              ?? new InboxCountsResponse(0, 0, 0)
            : await InboxQuery.Counts(db, orgId, InboxQuery.Matching(db, orgId, userId, status, filters)).SingleAsync(http.RequestAborted);
        return TypedResults.Ok(counts);
    }

    public static Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> MarkInboxRead(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock) =>
        UpdateAsync(orgId, userId, InboxAction.Read, request, http, db, clock);

    public static Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> MarkInboxUnread(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock) =>
        UpdateAsync(orgId, userId, InboxAction.Unread, request, http, db, clock);

    public static Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> MarkInboxSeen(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock) =>
        UpdateAsync(orgId, userId, InboxAction.Seen, request, http, db, clock);

    public static Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> MarkInboxUnseen(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock) =>
        UpdateAsync(orgId, userId, InboxAction.Unseen, request, http, db, clock);

    public static Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> ArchiveInboxItems(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock) =>
        UpdateAsync(orgId, userId, InboxAction.Archive, request, http, db, clock);

    public static Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> UnarchiveInboxItems(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock) =>
        UpdateAsync(orgId, userId, InboxAction.Unarchive, request, http, db, clock);

    private static async Task<Results<Ok<InboxUpdatedResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string orgId, string pathUser, InboxAction action, InboxActionRequest request, HttpContext http, ActivityFeedDb db, TimeProvider clock)
    {
        if (InboxOwner.Resolve(http.User, pathUser, changesState: true, out var userId) is { } denied)
        {
            return denied;
        }

        var errors = new Dictionary<string, string[]>();
        IQueryable<InboxItem> targets;
        if (request.Ids is { } ids)
        {
            foreach (var name in http.Request.Query.Keys)
            {
                errors[name] = [$"Query filters select the items of {{\"all\": true}}; with ids, leave out '{name}'."];
            }

            var distinct = ids.Distinct(StringComparer.Ordinal).ToArray();
            targets = db.InboxItems.Where(i => i.OrgId == orgId && i.UserId == userId && distinct.Contains(i.ActivityId));
        }
        else
        {
            var (status, filters) = ParseFilters(http, action == InboxAction.Unarchive ? InboxStatus.Archived : InboxStatus.All, errors);
            targets = InboxQuery.Matching(db, orgId, userId, status, filters);
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var updated = await InboxMarks.MarkAsync(targets, action, Timestamps.Truncate(clock.GetUtcNow()), http.RequestAborted);
        if (updated > 0)
        {
            await InboxSignal.NotifyAsync(db, orgId, userId, http.RequestAborted); // live streams send new counts
        }

        return TypedResults.Ok(new InboxUpdatedResponse(updated));
    }

    /// <summary>The filters and tab of a counts or mark-all request (no paging).</summary>
    private static (InboxStatus Status, FeedFilters Filters) ParseFilters(HttpContext http, InboxStatus fallback, Dictionary<string, string[]> errors)
    {
        var query = http.Request.Query;
        PageRequest.RejectUnknown(query, FilterParameters, errors, FeedFilters.IsMetadataParameter);
        var status = InboxStatuses.Parse(query, fallback, errors);
        var given = FeedFilters.GivenIn(query);
        return (status, FeedFilters.Parse(given, errors));
    }

    private static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "One or more query parameters are invalid; see errors.");
}

public sealed record InboxServices(ActivityFeedDb Db, CursorCodec Cursors, TimeProvider Clock);
