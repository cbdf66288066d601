using System.Text.RegularExpressions;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Json;

namespace ActivityFeed.Api.Activities.Feeds;

public enum SortField
{
    OccurredAt,
    CreatedAt,
    UpdatedAt,
}

public sealed record TimeRange(DateTimeOffset? Gt, DateTimeOffset? Gte, DateTimeOffset? Lt, DateTimeOffset? Lte)
{
    public static readonly TimeRange None = new(null, null, null, null);
}

/// <summary>
/// Every filter and the sort of a feed, parsed from query parameters (or from a cursor, which
/// stores them in their canonical text form) with each bad value reported under its name.
/// </summary>
public sealed partial record FeedFilters
{
    public static readonly string[] IdFilters =
        ["actor_id", "assistant_id", "segment_id", "contact_id", "visitor_id", "customer_id", "table_id", "record_id", "broadcast_id", "relation_id", "external_id"];

    private static readonly string[] RangeFields = ["occurred_at", "created_at", "updated_at"];
    private static readonly string[] RangeOperators = ["gt", "gte", "lt", "lte"];

    public static readonly string[] RangeParameters = [.. RangeFields.SelectMany(f => RangeOperators.Select(o => $"{f}_{o}"))];

    /// <summary>Every parameter a cursor binds: the filters and the sort.</summary>
    public static readonly string[] BoundParameters =
        [.. IdFilters, "type", "relation_type", "tag", "channel", "pinned", .. RangeParameters, "sort_by", "sort_order"];

    public const string MetadataPrefix = "metadata.";

    public IReadOnlyDictionary<string, string> Ids { get; init; } = new Dictionary<string, string>();

    /// <summary><c>metadata.&lt;member&gt;=&lt;value&gt;</c> filters, ANDed (a member given twice must equal both).</summary>
    public IReadOnlyList<MetadataFilter> Metadata { get; init; } = [];
    public IReadOnlyList<string> Types { get; init; } = [];
    public string? RelationType { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Channel { get; init; }
    public bool? Pinned { get; init; }
    public TimeRange OccurredAt { get; init; } = TimeRange.None;
    public TimeRange CreatedAt { get; init; } = TimeRange.None;
    public TimeRange UpdatedAt { get; init; } = TimeRange.None;
    public SortField SortBy { get; init; } = SortField.OccurredAt;
    public bool Descending { get; init; } = true;

    /// <summary>True when a filter other than a time range is set (those need the activity row, not just its timestamps).</summary>
    public bool FiltersBeyondTimeRanges =>
        Ids.Count > 0 || Types.Count > 0 || RelationType is not null || Tags.Count > 0 || Channel is not null || Pinned is not null || Metadata.Count > 0;

    public bool HasTimeRanges => OccurredAt != TimeRange.None || CreatedAt != TimeRange.None || UpdatedAt != TimeRange.None;

    /// <summary>The same filters without the time ranges (for a query that applies them to copied timestamps).</summary>
    public FeedFilters WithoutTimeRanges() => this with { OccurredAt = TimeRange.None, CreatedAt = TimeRange.None, UpdatedAt = TimeRange.None };

    /// <summary>The parameters as normalised text: what a cursor stores and compares.</summary>
    public IReadOnlyDictionary<string, string> Canonical { get; init; } = new Dictionary<string, string>();

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex MetadataMember();

    public static bool IsMetadataParameter(string name) => name.StartsWith(MetadataPrefix, StringComparison.Ordinal);

    /// <summary>The filter and sort parameters of a query (metadata.* included), each with its values.</summary>
    public static Dictionary<string, string[]> GivenIn(IQueryCollection query) =>
        query.Where(q => BoundParameters.Contains(q.Key) || IsMetadataParameter(q.Key))
            .ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray());

    /// <summary>A cursor stores each parameter as one text; metadata filters as a JSON array of their values.</summary>
    public static Dictionary<string, string[]> FromCanonical(IReadOnlyDictionary<string, string> canonical) =>
        canonical.ToDictionary(p => p.Key, p => IsMetadataParameter(p.Key)
            ? System.Text.Json.JsonSerializer.Deserialize<string[]>(p.Value) ?? []
            : [p.Value]);

    [GeneratedRegex(Activities.ActivityRules.TypePattern)]
    private static partial Regex TypeName();

    /// <param name="values">Each parameter's values (repeated parameters give several).</param>
    public static FeedFilters Parse(IReadOnlyDictionary<string, string[]> values, IDictionary<string, string[]> errors)
    {
        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? Single(string name)
        {
            if (!values.TryGetValue(name, out var given))
            {
                return null;
            }

            if (given.Length != 1)
            {
                errors[name] = [$"{name} may be given once."];
                return null;
            }

            return given[0];
        }

        // Repeatable and comma-separated: type=a&type=b or type=a,b.
        List<string> Many(string name) =>
            values.TryGetValue(name, out var given)
                ? given.SelectMany(v => v.Split(',')).Select(v => v.Trim()).ToList()
                : [];

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in IdFilters)
        {
            if (Single(name) is { } id)
            {
                if (ClientIds.IsValid(id))
                {
                    ids[name] = canonical[name] = id;
                }
                else
                {
                    errors[name] = [$"{name} {ClientIds.Rule}"];
                }
            }
        }

        var metadata = new List<MetadataFilter>();
        foreach (var (name, given) in values.Where(v => IsMetadataParameter(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var member = name[MetadataPrefix.Length..];
            if (!MetadataMember().IsMatch(member))
            {
                errors[name] = ["A metadata filter names a top-level member of 1-64 characters A-Z a-z 0-9 _, e.g. metadata.sequence_id=s_9."];
                continue;
            }

            var distinct = given.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            metadata.AddRange(distinct.Select(value => new MetadataFilter(member, value)));
            canonical[name] = System.Text.Json.JsonSerializer.Serialize(distinct);
        }

        var types = Many("type").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (types.Any(t => t.Length > 64 || !TypeName().IsMatch(t)) || (values.ContainsKey("type") && types.Count == 0))
        {
            errors["type"] = ["type takes activity type names (repeat it, or separate them with commas)."];
        }
        else if (types.Count > 50)
        {
            errors["type"] = ["At most 50 types."];
        }
        else if (types.Count > 0)
        {
            canonical["type"] = string.Join(',', types);
        }

        var relationType = Single("relation_type");
        if (relationType is not null && !Regex.IsMatch(relationType, "^[a-z][a-z0-9_]{0,63}$"))
        {
            errors["relation_type"] = ["relation_type must be a lowercase word such as product or task."];
        }
        else if (relationType is not null)
        {
            canonical["relation_type"] = relationType;
        }

        if (ids.ContainsKey("relation_id") && relationType is null)
        {
            errors["relation_id"] = ["relation_id needs relation_type: ids are only unique within a relation type."];
        }

        var tags = Many("tag").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (tags.Any(t => t.Length is 0 or > Activities.ActivityRules.MaxTagLength) || tags.Count > Activities.ActivityRules.MaxTags)
        {
            errors["tag"] = [$"tag takes up to {Activities.ActivityRules.MaxTags} tags of 1-{Activities.ActivityRules.MaxTagLength} characters."];
        }
        else if (tags.Count > 0)
        {
            canonical["tag"] = string.Join(',', tags);
        }

        var channel = Single("channel");
        if (channel is not null && !Regex.IsMatch(channel, "^[A-Z][A-Z0-9_]{0,31}$"))
        {
            errors["channel"] = ["channel must be an upper-case token such as EMAIL."];
        }
        else if (channel is not null)
        {
            canonical["channel"] = channel;
        }

        bool? pinned = null;
        if (Single("pinned") is { } pinnedText)
        {
            if (pinnedText is "true" or "false")
            {
                pinned = pinnedText == "true";
                canonical["pinned"] = pinnedText;
            }
            else
            {
                errors["pinned"] = ["pinned must be true or false."];
            }
        }

        TimeRange Range(string field)
        {
            DateTimeOffset? Bound(string op)
            {
                var name = $"{field}_{op}";
                if (Single(name) is not { } text)
                {
                    return null;
                }

                if (!Timestamps.TryParse(text, out var value))
                {
                    errors[name] = [$"{name} must be {Timestamps.Expectation}."];
                    return null;
                }

                canonical[name] = Timestamps.ToText(value);
                return value;
            }

            return new TimeRange(Bound("gt"), Bound("gte"), Bound("lt"), Bound("lte"));
        }

        var sortBy = SortField.OccurredAt;
        if (Single("sort_by") is { } sortText)
        {
            if (sortText is "occurred_at" or "created_at" or "updated_at")
            {
                sortBy = sortText switch { "created_at" => SortField.CreatedAt, "updated_at" => SortField.UpdatedAt, _ => SortField.OccurredAt };
            }
            else
            {
                errors["sort_by"] = ["sort_by must be occurred_at, created_at or updated_at."];
            }
        }

        var descending = true;
        if (Single("sort_order") is { } orderText)
        {
            if (orderText.Equals("asc", StringComparison.OrdinalIgnoreCase) || orderText.Equals("desc", StringComparison.OrdinalIgnoreCase))
            {
                descending = orderText.Equals("desc", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                errors["sort_order"] = ["sort_order must be asc or desc."];
            }
        }

        canonical["sort_by"] = SortName(sortBy);
        canonical["sort_order"] = descending ? "desc" : "asc";

        return new FeedFilters
        {
            Ids = ids,
            Metadata = metadata,
            Types = types,
            RelationType = relationType,
            Tags = tags,
            Channel = channel,
            Pinned = pinned,
            OccurredAt = Range("occurred_at"),
            CreatedAt = Range("created_at"),
            UpdatedAt = Range("updated_at"),
            SortBy = sortBy,
            Descending = descending,
            Canonical = canonical,
        };
    }

    public static string SortName(SortField field) => field switch
    {
        SortField.CreatedAt => "created_at",
        SortField.UpdatedAt => "updated_at",
        _ => "occurred_at",
    };
}

/// <summary>
/// One <c>metadata.&lt;member&gt;=&lt;value&gt;</c>: matches a string member equal to the text, a number
/// member equal to the value read as a number (5, 5.0 and 5e0 alike), a boolean member for
/// true/false; objects, arrays and null never match.
/// </summary>
public sealed record MetadataFilter(string Member, string Value)
{
    /// <summary>The JSON documents whose containment (<c>@&gt;</c>) means a match: one per way the value can be read.</summary>
    public IReadOnlyList<string> Containments()
    {
        var member = System.Text.Json.JsonEncodedText.Encode(Member).ToString();
        var list = new List<string> { $"{{\"{member}\":{System.Text.Json.JsonSerializer.Serialize(Value)}}}" };
        if (Number() is { } number)
        {
            list.Add($"{{\"{member}\":{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
        }

        if (Value is "true" or "false")
        {
            list.Add($"{{\"{member}\":{Value}}}");
        }

        return list;
    }

    public decimal? Number() =>
        decimal.TryParse(Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;
}
