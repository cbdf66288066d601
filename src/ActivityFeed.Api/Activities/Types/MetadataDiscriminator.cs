using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>
/// The OpenAPI `metadata` union is discriminated by `type`, so clients generated from it may send
/// `metadata.type`. It is accepted when it equals the activity's type and is not stored: the
/// activity's own `type` is the discriminator, and responses carry metadata as written without it.
/// </summary>
public static class MetadataDiscriminator
{
    private const string Member = "type";

    /// <returns>The metadata JSON to store, or null with <paramref name="error"/> set.</returns>
    public static string? Strip(JsonElement? metadata, string activityType, out string? error)
    {
        error = null;
        if (metadata is not { ValueKind: JsonValueKind.Object } value)
        {
            return "{}";
        }

        if (!value.TryGetProperty(Member, out var echoed))
        {
            return value.GetRawText();
        }

        if (echoed.ValueKind != JsonValueKind.String || echoed.GetString() != activityType)
        {
            error = $"metadata.type, when sent, must equal the activity's type '{activityType}'.";
            return null;
        }

        var copy = JsonNode.Parse(value.GetRawText())!.AsObject();
        copy.Remove(Member);
        return copy.ToJsonString();
    }
}
