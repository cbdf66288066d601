using System.Text.Json;

namespace ActivityFeed.Api.Webhooks;

/// <summary>The checks a registration's members get, on create and on PATCH alike; each failure under its member's name.</summary>
public static class WebhookRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    public static async Task CheckUrlAsync(string? url, WebhookAddressGuard guard, IDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors["url"] = ["url is required: the https URL that receives the events."];
        }
        else if (url.Length > MaxUrlLength)
        {
            errors["url"] = [$"url may be at most {MaxUrlLength} characters."];
        }
        else if (await guard.RefusalAsync(url, cancellationToken) is { } refusal)
        {
            errors["url"] = [refusal];
        }
    }

    public static void CheckDescription(string? description, IDictionary<string, string[]> errors)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"description may be at most {MaxDescriptionLength} characters."];
        }
    }

    /// <returns>The event kinds to store, in log order; null when invalid (or <paramref name="events"/> null and no default wanted).</returns>
    public static string[]? CheckEvents(string[]? events, IDictionary<string, string[]> errors)
    {
        if (events is null)
        {
            return [.. WebhookEvents.All.Select(WebhookEvents.ToKind)];
        }

        if (events.Length == 0)
        {
            errors["events"] = ["events may not be empty: leave it out to receive all of " + string.Join(", ", WebhookEvents.All) + "."];
            return null;
        }

        var unknown = events.Where(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            errors["events"] = [$"Unknown event {string.Join(", ", unknown.Select(e => $"'{e}'"))}; expected some of: {string.Join(", ", WebhookEvents.All)}."];
            return null;
        }

        return [.. WebhookEvents.All.Where(events.Contains).Select(WebhookEvents.ToKind)];
    }

    /// <summary>Reads a JSON member that must be a string array (for a PATCH's <c>events</c>).</summary>
    public static string[]? StringArray(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. element.EnumerateArray().Select(e => e.GetString()!)]
            : null;
}
