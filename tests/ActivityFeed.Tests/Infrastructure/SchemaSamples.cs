using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// A plausible JSON value for an OpenAPI schema: required members filled by type, the first
/// non-null variant of a <c>oneOf</c>, <c>allOf</c> parts merged. A member the caller names gets
/// the caller's value (ids of one org, a generated bad value), so probes stay generic.
/// </summary>
public static class SchemaSamples
{
    public const string Timestamp = "2026-01-02T03:04:05.000000Z";

    /// <param name="member">A member's value by name, or null to sample it by its schema.</param>
    /// <param name="allMembers">Fill optional members too, not only required ones.</param>
    public static JsonNode? Sample(JsonElement schema, Func<string, JsonNode?>? member = null, bool allMembers = false, int depth = 0)
    {
        schema = OpenApiOperations.Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object || depth > 8)
        {
            return null;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            return values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => JsonNode.Parse(v.GetRawText())).FirstOrDefault();
        }

        foreach (var union in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(union, out var variants))
            {
                var variant = variants.EnumerateArray().FirstOrDefault(v => TypeOf(OpenApiOperations.Resolve(v)) != "null");
                return variant.ValueKind == JsonValueKind.Undefined ? null : Sample(variant, member, allMembers, depth + 1);
            }
        }

        var (properties, required) = Members(schema);
        switch (TypeOf(schema) ?? (properties.Count > 0 ? "object" : null))
        {
            case "object":
                var node = new JsonObject();
                foreach (var (name, propertySchema) in properties)
                {
                    var given = member?.Invoke(name);
                    if (given is not null)
                    {
                        node[name] = given;
                    }
                    else if (required.Contains(name) || allMembers)
                    {
                        node[name] = Sample(propertySchema, member, allMembers, depth + 1);
                    }
                }

                return node;
            case "array":
                return schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(items, member, allMembers, depth + 1)) : new JsonArray();
            case "string":
                return schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" ? Timestamp : "probe";
            case "integer":
            case "number":
                return 1;
            case "boolean":
                return true;
            default:
                return null;
        }
    }

    /// <summary>The schema's type, ignoring "null" in a type list.</summary>
    public static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "null"
            : type.GetString();
    }

    /// <summary>An object schema's members and required names, with <c>allOf</c> parts merged.</summary>
    public static (List<(string Name, JsonElement Schema)> Properties, HashSet<string> Required) Members(JsonElement schema)
    {
        var properties = new List<(string, JsonElement)>();
        var required = new HashSet<string>();
        void Collect(JsonElement part)
        {
            part = OpenApiOperations.Resolve(part);
            if (part.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (part.TryGetProperty("properties", out var own))
            {
                properties.AddRange(own.EnumerateObject().Select(p => (p.Name, p.Value)));
            }

            if (part.TryGetProperty("required", out var names))
            {
                required.UnionWith(names.EnumerateArray().Select(n => n.GetString()!));
            }

            if (part.TryGetProperty("allOf", out var parts))
            {
                foreach (var inner in parts.EnumerateArray())
                {
                    Collect(inner);
                }
            }
        }

        Collect(schema);
        return (properties.GroupBy(p => p.Item1).Select(g => g.Last()).ToList(), required);
    }
}
