using System.Text.Json.Nodes;
using ActivityFeed.Api.Activities;

namespace ActivityFeed.Api.Dialects.Salesloft;

/// <summary>An activity as Salesloft's activity history returns it.</summary>
public sealed record SalesloftActivity(
    string Id,
    string Type,
    string? UserGuid,
    string? ResourceType,
    object? ResourceId,
    IReadOnlyList<string> Tags,
    DateTimeOffset? PinnedAt,
    DateTimeOffset OccurredAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonNode? StaticData,
    JsonObject DynamicData,
    IReadOnlyList<string> FailedDynamicResources)
{
    private const string StaticDataMember = "static_data";

    public static SalesloftActivity From(Activity activity)
    {
        var (resourceType, resourceId) = SalesloftResources.Of(activity);
        // static_data is the metadata's own static_data member; dynamic_data is the rest.
        var dynamicData = JsonNode.Parse(activity.Metadata) as JsonObject ?? [];
        JsonNode? staticData = new JsonObject();
        if (dynamicData.TryGetPropertyValue(StaticDataMember, out var given))
        {
            dynamicData.Remove(StaticDataMember);
            staticData = given;
        }

        return new SalesloftActivity(
            $"{activity.Type}-{activity.Id}", activity.Type, activity.ActorId, resourceType,
            resourceType == "crm_opportunity" ? resourceId : SourceIds.AsSourceId(resourceId),
            activity.Tags, activity.PinnedAt, activity.OccurredAt, activity.CreatedAt, activity.UpdatedAt,
            staticData, dynamicData, []);
    }
}

public sealed record SalesloftPaging(int PerPage, int CurrentPage, int? NextPage, int? PrevPage, int? TotalPages, long? TotalCount);

public sealed record SalesloftSorting(string SortBy, string SortDirection);

/// <summary><c>filtering</c> echoes the filter parameters applied, by name, as given.</summary>
public sealed record SalesloftMetadata(IReadOnlyDictionary<string, object> Filtering, SalesloftPaging Paging, SalesloftSorting Sorting);

public sealed record SalesloftList(SalesloftMetadata Metadata, IReadOnlyList<SalesloftActivity> Data);
