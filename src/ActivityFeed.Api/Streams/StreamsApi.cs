using System.Globalization;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Inbox;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Streams;

public static class StreamsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";
    private const string LastEventIdParameter = "last_event_id";

    private static readonly HashSet<string> KnownParameters = [.. FeedFilters.BoundParameters, LastEventIdParameter, AccessTokenInQuery.Parameter];

    public static RouteGroupBuilder MapStreams(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}").WithTags("Streams")
            .RequireScope(Scopes.ActivitiesRead)
            .WithMetadata(new AccessTokenInQuery())
            .ProducesValidationProblem()
            .WithQueryParameters(Parameters);
        group.MapGet("/activities/stream", StreamActivities).WithName(nameof(StreamActivities))
            .WithSummary("Live stream of the org's activities (Server-Sent Events)")
            .WithDescription(Description + " Each `activity` event is an activity as every read returns it.");
        group.MapGet("/users/{user_id}/inbox/stream", StreamInbox).WithName(nameof(StreamInbox))
            .WithSummary("Live stream of a user's inbox (Server-Sent Events)")
            .WithDescription(Description + " Each `activity` event is an inbox item (the activity with `read_at`, `seen_at`, `archived_at`); a `counts` event (`{\"unread\", \"unseen\", \"total\"}`) comes first and again whenever the unread count changes.");
        return group;
    }

    private const string Description =
        "`text/event-stream`: an `activity` event for every created or changed activity that matches the filters (the list filters), with `id:` its position in the org's change log. Reconnect with `Last-Event-ID` (header, as EventSource does, or `last_event_id`; the header wins) to resume with nothing lost or repeated; a position older than the log keeps yields an `error` event, then every event still kept. A `: heartbeat` comment comes every 15 s. A client that falls more than 1,000 events behind gets an `error` event and the stream ends: reconnect to resume. EventSource cannot send headers, so `access_token` may carry the token.";

    public static async Task<Results<ChangeStream, ValidationProblem, ProblemHttpResult>> StreamActivities(
        [FromRoute(Name = "org_id")] string orgId, HttpContext http, StreamHub hub, ChangeBatchReader reader) =>
        await OpenAsync(orgId, null, http, hub, reader);

    public static async Task<Results<ChangeStream, ValidationProblem, ProblemHttpResult>> StreamInbox(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string pathUser, HttpContext http, StreamHub hub, ChangeBatchReader reader)
    {
        if (InboxOwner.Resolve(http.User, pathUser, changesState: false, out var userId) is { } denied)
        {
            return denied;
        }

        return await OpenAsync(orgId, userId, http, hub, reader);
    }

    private static async Task<Results<ChangeStream, ValidationProblem, ProblemHttpResult>> OpenAsync(
        string orgId, string? inboxUser, HttpContext http, StreamHub hub, ChangeBatchReader reader)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        PageRequest.RejectUnknown(query, KnownParameters, errors, FeedFilters.IsMetadataParameter);
        var given = FeedFilters.GivenIn(query).Where(q => q.Key is not ("sort_by" or "sort_order")).ToDictionary();
        var filters = FeedFilters.Parse(given, errors);

        // EventSource resends the URL it was opened with, so on a reconnect the header is the newer position.
        string? resumeText = http.Request.Headers[LastEventIdHeader].FirstOrDefault() is { Length: > 0 } header ? header : query[LastEventIdParameter].FirstOrDefault();
        long? resumeAfter = null;
        if (resumeText is not null)
        {
            if (long.TryParse(resumeText, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                var (last, _) = await reader.PositionAsync(orgId, http.RequestAborted);
                if (position > last)
                {
                    errors[LastEventIdParameter] = [$"Last-Event-ID {position} is past this org's last event ({last}): it was not issued here."];
                }

                resumeAfter = position;
            }
            else
            {
                errors[LastEventIdParameter] = ["Last-Event-ID must be the id of an event this stream sent (a whole number)."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "One or more parameters are invalid; see errors.");
        }

        return new ChangeStream(new StreamSubscriber(orgId, filters, inboxUser, hub.Options.ConnectionBuffer), resumeAfter, hub, reader);
    }

    private static readonly QueryParameter[] Parameters =
    [
        .. FeedsApi.Parameters.Where(p => !PageRequest.ParameterNames.Contains(p.Name) && p.Name is not ("sort_by" or "sort_order")),
        new(LastEventIdParameter, JsonSchemaType.String, "Resume after this event id (the `Last-Event-ID` header wins when both are sent)."),
        new(AccessTokenInQuery.Parameter, JsonSchemaType.String, "The bearer token, for clients that cannot send headers (EventSource). Never logged."),
    ];
}
