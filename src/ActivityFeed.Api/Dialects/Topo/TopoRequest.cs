using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Activities.Types;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Dialects.Topo;

/// <summary>
/// <c>GET /v1/activities</c>'s query as native feed filters: <c>person_id</c> is the contact, the
/// sequence ids are metadata members, <c>resource_type</c> and <c>event_type</c> name the types
/// <c>&lt;resource&gt;.&lt;event&gt;</c>.
/// </summary>
public sealed record TopoRequest(FeedFilters Filters, int Page, int Size)
{
    public static readonly string[] ResourceTypes = ["MESSAGE", "INVITATION", "HOT_LEAD", "MEETING", "SEQUENCE_STEP", "SEQUENCE", "TASK"];
    public static readonly string[] Channels = ["EMAIL", "LINKEDIN", "MANUAL"];
    public static readonly string[] EventTypes = ["SENT", "REPLIED", "OPENED", "LINK_CLICKED", "ACCEPTED", "CREATED", "PAUSED", "RESUMED", "STOPPED", "COMPLETED", "SKIPPED"];
    public static readonly string[] SortOrders = ["desc", "asc"];

    /// <summary>Topo's id filters and the metadata members they read (the payload's ids).</summary>
    public static readonly (string Parameter, string Member)[] MetadataIds =
        [("sequence_id", "sequence_id"), ("sequence_template_id", "sequence_template_id")];

    public static async Task<(TopoRequest Request, Dictionary<string, string[]> Errors)> ParseAsync(
        IQueryCollection query, ActivityFeedDb db, string orgId, CancellationToken cancellationToken)
    {
        var q = new DialectQuery(query);
        var size = q.Number("size", 1, 100, 10);
        var page = q.Page(size);
        q.OneOf("sort_by", ["created_at"]);
        var descending = q.OneOf("sort_order", SortOrders, "desc") == "desc";

        if (q.Once("person_id") is { } person)
        {
            q.Filter("person_id", "contact_id", person);
        }

        foreach (var (parameter, member) in MetadataIds)
        {
            if (q.Once(parameter) is { } value)
            {
                q.Filter(parameter, FeedFilters.MetadataPrefix + member, value);
            }
        }

        if (q.OneOf("channel", Channels) is { } channel)
        {
            q.Filter("channel", "channel", channel);
        }

        if (q.Once("created_at_after") is { } after)
        {
            q.Filter("created_at_after", "created_at_gt", after);
        }

        if (q.Once("created_at_before") is { } before)
        {
            q.Filter("created_at_before", "created_at_lt", before);
        }

        var resource = q.OneOf("resource_type", ResourceTypes)?.ToLowerInvariant();
        var eventType = q.OneOf("event_type", EventTypes)?.ToLowerInvariant();
        if (resource is not null || eventType is not null)
        {
            q.Filter("resource_type", "type", resource is not null && eventType is not null
                ? [$"{resource}.{eventType}"]
                : await KnownTypesAsync(db, orgId, resource is not null ? $"{resource}." : null, eventType is not null ? $".{eventType}" : null, cancellationToken));
        }

        var filters = q.Filters(SortField.CreatedAt, descending);
        return (new TopoRequest(filters, page, size), q.Errors);
    }

    /// <summary>
    /// The types one half of <c>&lt;resource&gt;.&lt;event&gt;</c> selects: every built-in and registered
    /// type of the org with that prefix or suffix (a type must be one of those to be written), so the
    /// filter stays an IN list on the type index.
    /// </summary>
    private static async Task<List<string>> KnownTypesAsync(ActivityFeedDb db, string orgId, string? prefix, string? suffix, CancellationToken cancellationToken)
    {
        bool Matches(string name) => (prefix is null || name.StartsWith(prefix, StringComparison.Ordinal)) && (suffix is null || name.EndsWith(suffix, StringComparison.Ordinal));
        var custom = await db.ActivityTypes.AsNoTracking().Where(t => t.OrgId == orgId).Select(t => t.Name).ToListAsync(cancellationToken);
        return [.. BuiltInActivityTypes.All.Select(t => t.Name).Concat(custom).Where(Matches).Distinct(StringComparer.Ordinal)];
    }
}
