using System.Text.Json;

namespace ActivityFeed.Api.Infrastructure.Json;

/// <summary>
/// Where a duplicated member is. System.Text.Json refuses duplicates (<see cref="JsonSetup"/>) but its
/// error names only the member, at the enclosing bound property or, for a parsed document, nowhere;
/// a body read whole (PATCH) is searched with this so the problem names the member's full path.
/// </summary>
public static class JsonDuplicates
{
    public const string MessageStart = "Duplicate property '";

    public static bool IsDuplicate(JsonException exception) => exception.Message.StartsWith(MessageStart, StringComparison.Ordinal);

    /// <summary>The duplicated member's name from the serializer's message, e.g. <c>x</c>.</summary>
    public static string? NameIn(string message)
    {
        if (!message.StartsWith(MessageStart, StringComparison.Ordinal))
        {
            return null;
        }

        var end = message.IndexOf('\'', MessageStart.Length);
        return end > MessageStart.Length ? message[MessageStart.Length..end] : null;
    }

    /// <returns>The path of the first member named twice in one object (<c>metadata.changes[0].key</c>), or null.</returns>
    public static string? FirstPath(JsonElement element, string path = "")
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in element.EnumerateObject())
            {
                var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
                if (!seen.Add(member.Name))
                {
                    return memberPath;
                }

                if (FirstPath(member.Value, memberPath) is { } nested)
                {
                    return nested;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (FirstPath(item, $"{path}[{index++}]") is { } nested)
                {
                    return nested;
                }
            }
        }

        return null;
    }
}
