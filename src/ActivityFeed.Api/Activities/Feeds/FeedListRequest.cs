using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Paging;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// A list request over activities (a feed or an inbox): filters, sort and page from the query, or
/// from the <c>next</c> cursor, which binds them to one feed of one org. Lists with parameters of
/// their own that a cursor must carry too (the inbox's <c>status</c>) pass them as extras.
/// </summary>
public sealed partial record FeedListRequest(
    string Feed,
    FeedFilters Filters,
    PageRequest Page,
    FeedCursor? Cursor,
    IReadOnlyDictionary<string, string> Extras,
    string? ScopeParameter)
{
    /// <param name="feed">Which feed of the org: a cursor is good for this feed only.</param>
    /// <param name="scope">A filter the path gives (contact_id of a contact's timeline).</param>
    /// <param name="extras">Canonical values of the list's own bound parameters, as parsed from the query.</param>
    /// <param name="errors">Collects every bad parameter; the request is usable only when it stays empty.</param>
    public static async Task<FeedListRequest> ParseAsync(
        HttpContext http,
        string orgId,
        string feed,
        (string Name, string Value)? scope,
        IReadOnlyDictionary<string, string> extras,
        IReadOnlyCollection<string> known,
        CursorCodec cursors,
        Dictionary<string, string[]> errors)
    {
        feed = $"{orgId}/{feed}";
        var query = http.Request.Query;
        PageRequest.RejectUnknown(query, known, errors, FeedFilters.IsMetadataParameter);
        var page = PageRequest.Parse(query, errors);
        var given = FeedFilters.GivenIn(query);
        var requested = FeedFilters.Parse(given, errors);

        var filters = requested;
        FeedCursor? cursor = null;
        var effectiveExtras = extras;
        if (page.Next is { Length: > 0 } next)
        {
            cursor = await cursors.DecodeAsync(next, http.RequestAborted);
            var cursorErrors = new Dictionary<string, string[]>();
            var fromCursor = cursor is null ? null
                : FeedFilters.Parse(FeedFilters.FromCanonical(cursor.Parameters), cursorErrors);
            if (cursor is null || cursor.Feed != feed || cursorErrors.Count > 0 || fromCursor is null
                || extras.Keys.Any(name => !cursor.Parameters.ContainsKey(name)))
            {
                errors["next"] = ["The cursor was not issued for this feed, or was altered. Start again without next."];
                cursor = null;
            }
            else
            {
                foreach (var name in given.Keys.Where(name => !errors.ContainsKey(name)))
                {
                    if (requested.Canonical.GetValueOrDefault(name) != fromCursor.Canonical.GetValueOrDefault(name))
                    {
                        errors[name] = [Differs(name)];
                    }
                }

                foreach (var name in extras.Keys.Where(name => query.ContainsKey(name) && !errors.ContainsKey(name)))
                {
                    if (extras[name] != cursor.Parameters[name])
                    {
                        errors[name] = [Differs(name)];
                    }
                }

                filters = fromCursor;
                effectiveExtras = extras.Keys.ToDictionary(name => name, name => cursor.Parameters[name]);
            }
        }

        if (scope is var (scopeName, scopeValue))
        {
            if (!ClientIds.IsValid(scopeValue))
            {
                errors[scopeName] = [$"{scopeName} {ClientIds.Rule}"];
            }
            else if (filters.Ids.TryGetValue(scopeName, out var fromQuery) && fromQuery != scopeValue)
            {
                errors[scopeName] = [$"{scopeName} is given by the path; a different one in the query would match nothing."];
            }

            filters = filters with { Ids = new Dictionary<string, string>(filters.Ids) { [scopeName] = scopeValue } };
        }

        return new FeedListRequest(feed, filters, page, cursor, effectiveExtras, scope?.Name);
    }

    private static string Differs(string name) =>
        $"{name} differs from the value the cursor was made with; send next alone, or with the same filters and sort.";

    /// <summary>The cursor after <paramref name="lastSortValue"/>/<paramref name="lastId"/>, also set as the Link header.</summary>
    public async Task<string> NextCursorAsync(HttpContext http, CursorCodec cursors, DateTimeOffset lastSortValue, string lastId)
    {
        var parameters = Filters.Canonical.Where(p => p.Key != ScopeParameter).ToDictionary();
        foreach (var (name, value) in Extras)
        {
            parameters[name] = value;
        }

        var next = await cursors.EncodeAsync(new FeedCursor(Feed, parameters, FeedCursor.ToMicros(lastSortValue), lastId), http.RequestAborted);
        Links.AddNext(http, next);
        return next;
    }

    /// <summary>The list envelope for up to Take + 1 rows (the extra one only says there is more).</summary>
    public async Task<ListEnvelope<T>> EnvelopeAsync<T>(
        HttpContext http, CursorCodec cursors, IReadOnlyList<T> items, bool hasMore, Func<T, (DateTimeOffset SortValue, string Id)> position, long? total)
    {
        string? next = null;
        if (hasMore)
        {
            var (sortValue, id) = position(items[^1]);
            next = await NextCursorAsync(http, cursors, sortValue, id);
        }

        return new ListEnvelope<T>(items, next, hasMore, Page.Take, Cursor is null ? Page.Page : null,
            total, total is { } t ? Page.TotalPages(t) : null);
    }
}
