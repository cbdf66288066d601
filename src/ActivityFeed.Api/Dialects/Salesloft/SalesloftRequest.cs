using System.Linq.Expressions;
using System.Text.RegularExpressions;
using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Infrastructure.Identifiers;

namespace ActivityFeed.Api.Dialects.Salesloft;

/// <summary><c>GET /v2/activity_histories</c>'s query, as the native feed filters plus the resource and id conditions Salesloft adds.</summary>
public sealed partial record SalesloftRequest(
    FeedFilters Filters,
    Expression<Func<Activity, bool>>? Resource,
    IReadOnlyList<string> Ids,
    int Page,
    int PerPage,
    bool IncludePagingCounts,
    string SortBy,
    string SortDirection,
    IReadOnlyDictionary<string, object> Filtering)
{
    public const string Person = "person";
    public static readonly string[] ResourceTypes = [Person, "account", "crm_opportunity"];
    public static readonly string[] SortFields = ["occurred_at", "updated_at"];
    public static readonly string[] Directions = ["DESC", "ASC"];
    private static readonly string[] RangeFields = ["occurred_at", "updated_at"];
    private static readonly string[] RangeOperators = ["gt", "gte", "lt", "lte"];

    [GeneratedRegex(@"^type\[([^\]]+)\](\[\])?$")]
    private static partial Regex TypeByResource();

    public static SalesloftRequest Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        var q = new DialectQuery(query);
        var filterNames = new List<string>();

        var perPage = q.Number("per_page", 1, 100, 25);
        var page = q.Page(perPage);
        var includeCounts = q.Bool("include_paging_counts");
        var sortBy = q.OneOf("sort_by", SortFields, "occurred_at")!;
        var direction = q.OneOf("sort_direction", Directions, "DESC")!;

        // type=a, type[]=a, type=a,b, or type[<resource_type>][]=a (which also asks for that resource).
        var (types, typeNames) = q.Many("type");
        filterNames.AddRange(typeNames);
        var resourceTypes = new List<string>();
        foreach (var key in query.Keys.Where(k => TypeByResource().IsMatch(k)))
        {
            var resource = TypeByResource().Match(key).Groups[1].Value;
            if (!ResourceTypes.Contains(resource))
            {
                q.Errors[key] = [$"The resource type in {key} must be one of: {string.Join(", ", ResourceTypes)}."];
                continue;
            }

            filterNames.Add(key);
            resourceTypes.Add(resource);
            types.AddRange(query[key].SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()));
        }

        if (typeNames.Count > 0 || types.Count > 0)
        {
            q.Filter(typeNames.FirstOrDefault() ?? "type", "type", types);
        }

        foreach (var field in RangeFields)
        {
            foreach (var op in RangeOperators)
            {
                var name = $"{field}[{op}]";
                if (q.Once(name) is { } bound)
                {
                    filterNames.Add(name);
                    q.Filter(name, $"{field}_{op}", bound);
                }
            }
        }

        if (q.Once("pinned") is { } pinned)
        {
            filterNames.Add("pinned");
            q.Filter("pinned", "pinned", pinned.ToLowerInvariant());
        }

        if (q.Once("user_guid") is { } userGuid)
        {
            filterNames.Add("user_guid");
            q.Filter("user_guid", "actor_id", userGuid);
        }

        var (givenResources, resourceNames) = q.Many("resource_type");
        filterNames.AddRange(resourceNames);
        if (givenResources.FirstOrDefault(r => !ResourceTypes.Contains(r)) is { } badResource)
        {
            q.Errors[resourceNames[0]] = [$"resource_type must be one of: {string.Join(", ", ResourceTypes)} (not '{badResource}')."];
        }

        resourceTypes.AddRange(givenResources);
        var resourceId = q.Once("resource_id");
        if (resourceId is not null)
        {
            filterNames.Add("resource_id");
            if (resourceTypes.Count == 0)
            {
                q.Errors["resource_id"] = ["resource_id needs resource_type: ids are only unique within a resource type."];
            }
            else if (!ClientIds.IsValid(resourceId))
            {
                q.Errors["resource_id"] = ["resource_id " + ClientIds.Rule];
            }
        }

        // The id filter takes Salesloft's "<type>-<id>" or the bare activity id.
        var (givenIds, idNames) = q.Many("id");
        filterNames.AddRange(idNames);
        var ids = givenIds.Select(id => id[(id.LastIndexOf('-') + 1)..]).Distinct(StringComparer.Ordinal).ToList();
        if (idNames.Count > 0 && (ids.Count is 0 or > 100 || ids.Any(id => id.Length is 0 or > 64)))
        {
            q.Errors[idNames[0]] = ["id takes up to 100 activity ids, as <type>-<id> or the bare id."];
        }

        var filters = q.Filters(sortBy == "updated_at" ? SortField.UpdatedAt : SortField.OccurredAt, descending: direction == "DESC");
        errors = q.Errors;
        var filtering = filterNames.Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name, name => query[name] is { Count: 1 } one ? (object)(one[0] ?? "") : query[name].ToArray(), StringComparer.Ordinal);
        var distinctResources = resourceTypes.Distinct(StringComparer.Ordinal).Where(ResourceTypes.Contains).ToList();
        return new SalesloftRequest(filters, distinctResources.Count > 0 ? SalesloftResources.Matching(distinctResources, resourceId) : null,
            ids, page, perPage, includeCounts, sortBy, direction, filtering);
    }
}
