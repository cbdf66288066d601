namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// The feed filters evaluated on one activity in memory, with the same meaning as
/// <see cref="FeedQuery.Filtered"/> gives them in SQL: for live streams, which test each change
/// against each subscriber's filters instead of querying per subscriber.
/// </summary>
public static class FeedMatcher
{
    public static bool Matches(this FeedFilters filters, Activity a)
    {
        foreach (var (name, value) in filters.Ids)
        {
            var actual = name switch
            {
                "actor_id" => a.ActorId,
                "assistant_id" => a.AssistantId,
                "segment_id" => a.SegmentId,
                "contact_id" => a.ContactId,
                "visitor_id" => a.VisitorId,
                "customer_id" => a.CustomerId,
                "table_id" => a.TableId,
                "record_id" => a.RecordId,
                "broadcast_id" => a.BroadcastId,
                "relation_id" => a.RelationId,
                "external_id" => a.ExternalId,
                _ => throw new ArgumentOutOfRangeException(nameof(filters), name, "Not an id filter."),
            };
            if (actual != value)
            {
                return false;
            }
        }

        if (filters.Metadata.Count > 0 && !MatchesMetadata(filters.Metadata, a.Metadata))
        {
            return false;
        }

        return (filters.Types.Count == 0 || filters.Types.Contains(a.Type, StringComparer.Ordinal))
               && (filters.RelationType is null || filters.RelationType == a.RelationType)
               && (filters.Tags.Count == 0 || filters.Tags.Intersect(a.Tags, StringComparer.Ordinal).Any())
               && (filters.Channel is null || filters.Channel == a.Channel)
               && (filters.Pinned is null || filters.Pinned == (a.PinnedAt is not null))
               && InRange(a.OccurredAt, filters.OccurredAt)
               && InRange(a.CreatedAt, filters.CreatedAt)
               && InRange(a.UpdatedAt, filters.UpdatedAt);
    }

    private static bool MatchesMetadata(IReadOnlyList<MetadataFilter> filters, string metadata)
    {
        using var document = System.Text.Json.JsonDocument.Parse(metadata);
        foreach (var filter in filters)
        {
            if (!document.RootElement.TryGetProperty(filter.Member, out var member))
            {
                return false;
            }

            var matches = member.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => member.GetString() == filter.Value,
                System.Text.Json.JsonValueKind.Number => filter.Number() is { } number && member.TryGetDecimal(out var actual) && actual == number,
                System.Text.Json.JsonValueKind.True => filter.Value == "true",
                System.Text.Json.JsonValueKind.False => filter.Value == "false",
                _ => false,
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private static bool InRange(DateTimeOffset value, TimeRange range) =>
        (range.Gt is not { } gt || value > gt)
        && (range.Gte is not { } gte || value >= gte)
        && (range.Lt is not { } lt || value < lt)
        && (range.Lte is not { } lte || value <= lte);
}
