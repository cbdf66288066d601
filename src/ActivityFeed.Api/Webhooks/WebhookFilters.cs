using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Activities.Feeds;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// A webhook's <c>filters</c>: the list filters by their query names, as a JSON object, parsed by
/// the same rules as a list query (so they mean the same), stored in the canonical text form a
/// cursor uses, and echoed back normalised.
/// </summary>
public static class WebhookFilters
{
    private const string Prefix = "filters.";
    private static readonly HashSet<string> ListMembers = ["type", "tag"];
    private static readonly HashSet<string> Known = [.. FeedFilters.BoundParameters.Where(p => p is not ("sort_by" or "sort_order"))];

    /// <summary>Reads a <c>filters</c> object; each bad member is reported as <c>filters.&lt;name&gt;</c>.</summary>
    /// <returns>The canonical form to store, or null when there were errors.</returns>
    public static string? Read(JsonElement? filters, IDictionary<string, string[]> errors)
    {
        if (filters is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["filters"] = ["filters is an object of list filters by their query names, e.g. {\"type\": [\"call\"], \"contact_id\": \"c_1\"}."];
            return null;
        }

        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var before = errors.Count;
        foreach (var member in element.EnumerateObject())
        {
            var name = member.Name;
            if (!Known.Contains(name) && !FeedFilters.IsMetadataParameter(name))
            {
                errors[Prefix + name] = [$"Unknown filter; filters take the list filters: {string.Join(", ", Known)} and metadata.<member>."];
                continue;
            }

            string[]? given = member.Value.ValueKind switch
            {
                JsonValueKind.String => [member.Value.GetString()!],
                JsonValueKind.True or JsonValueKind.False when name == "pinned" => [member.Value.GetRawText()],
                JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number when FeedFilters.IsMetadataParameter(name) => [member.Value.GetRawText()],
                JsonValueKind.Array when ListMembers.Contains(name) && member.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                    [.. member.Value.EnumerateArray().Select(v => v.GetString()!)],
                _ => null,
            };
            if (given is null)
            {
                errors[Prefix + name] = [ListMembers.Contains(name) ? $"{name} is a list of strings (or one string)." : $"{name} takes one value, as its query parameter does."];
                continue;
            }

            values[name] = given;
        }

        if (errors.Count > before)
        {
            return null;
        }

        if (values.TryGetValue("type", out var types) && types.Length == 0 || values.TryGetValue("tag", out var tags) && tags.Length == 0)
        {
            errors[Prefix + (types is { Length: 0 } ? "type" : "tag")] = ["An empty list matches nothing; leave the filter out to match everything."];
            return null;
        }

        var parseErrors = new Dictionary<string, string[]>();
        var parsed = FeedFilters.Parse(values, parseErrors);
        foreach (var (name, messages) in parseErrors)
        {
            errors[Prefix + name] = messages;
        }

        if (parseErrors.Count > 0)
        {
            return null;
        }

        var canonical = parsed.Canonical.Where(p => Known.Contains(p.Key) || FeedFilters.IsMetadataParameter(p.Key))
            .ToDictionary(p => p.Key, p => p.Value);
        return JsonSerializer.Serialize(canonical);
    }

    /// <summary>The stored filters, parsed for matching.</summary>
    public static FeedFilters Parse(string stored)
    {
        var errors = new Dictionary<string, string[]>();
        var canonical = JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
        var filters = FeedFilters.Parse(FeedFilters.FromCanonical(canonical), errors);
        return errors.Count == 0 ? filters : throw new InvalidOperationException($"Stored webhook filters no longer parse: {string.Join("; ", errors.Keys)}");
    }

    /// <summary>The stored filters as the API shows them: <c>type</c> and <c>tag</c> lists, <c>pinned</c> a boolean, metadata values as given (a list when several).</summary>
    public static IReadOnlyDictionary<string, JsonElement> Echo(string stored)
    {
        var canonical = JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
        var echo = new JsonObject();
        foreach (var (name, value) in canonical.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            echo[name] = name switch
            {
                "type" or "tag" => new JsonArray([.. value.Split(',').Select(v => (JsonNode)JsonValue.Create(v))]),
                "pinned" => JsonValue.Create(value == "true"),
                _ when FeedFilters.IsMetadataParameter(name) => JsonSerializer.Deserialize<string[]>(value) is [var single]
                    ? JsonValue.Create(single)
                    : JsonNode.Parse(value),
                _ => JsonValue.Create(value),
            };
        }

        return echo.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal);
    }
}
