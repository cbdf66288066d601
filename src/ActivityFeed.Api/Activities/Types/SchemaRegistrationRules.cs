using System.Text.Json;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>
/// What a registered schema may hold beyond being a JSON Schema, checked on its JSON before it is
/// parsed (parsing resolves references): every <c>$ref</c> points inside the schema itself, so the
/// server never fetches a URL or reads a file for an org, and every pattern compiles for the
/// linear-time engine (<see cref="SchemaPatterns"/>).
/// </summary>
public static class SchemaRegistrationRules
{
    // Keywords whose value is a schema, a list of schemas, or a map of names to schemas (drafts 4 to 2020-12).
    private static readonly HashSet<string> SchemaValued = ["additionalItems", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "items"];
    private static readonly HashSet<string> SchemaLists = ["allOf", "anyOf", "oneOf", "items", "prefixItems"];
    private static readonly HashSet<string> SchemaMaps = ["properties", "definitions", "$defs", "dependencies", "dependentSchemas"];

    /// <returns>Errors keyed by path under <paramref name="prefix"/>, e.g. <c>metadata_schema.properties.a.$ref</c>.</returns>
    public static Dictionary<string, string[]> Check(JsonElement schema, string prefix)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckReferences(schema, prefix, errors);
        CheckPatterns(schema, prefix, errors);
        return errors;
    }

    /// <summary>Looks everywhere, not only where a schema is expected: refusing too much here costs nothing.</summary>
    private static void CheckReferences(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in element.EnumerateObject())
            {
                var memberPath = $"{path}.{member.Name}";
                if (member.Name == "$ref")
                {
                    if (member.Value.ValueKind != JsonValueKind.String || !member.Value.GetString()!.StartsWith('#'))
                    {
                        errors[memberPath] = ["Only references within this schema (starting with '#', e.g. '#/definitions/x') are allowed: the server fetches no URL or file."];
                    }
                }
                else
                {
                    CheckReferences(member.Value, memberPath, errors);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CheckReferences(item, $"{path}[{index++}]", errors);
            }
        }
    }

    private static void CheckPatterns(JsonElement schema, string path, Dictionary<string, string[]> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var member in schema.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            switch (member.Name, member.Value.ValueKind)
            {
                case ("pattern", JsonValueKind.String):
                    Compile(member.Value.GetString()!, memberPath, errors);
                    break;
                case ("patternProperties", JsonValueKind.Object):
                    foreach (var property in member.Value.EnumerateObject())
                    {
                        Compile(property.Name, $"{memberPath}.{property.Name}", errors);
                        CheckPatterns(property.Value, $"{memberPath}.{property.Name}", errors);
                    }

                    break;
                case (var name, JsonValueKind.Object) when SchemaMaps.Contains(name):
                    foreach (var property in member.Value.EnumerateObject())
                    {
                        CheckPatterns(property.Value, $"{memberPath}.{property.Name}", errors);
                    }

                    break;
                case (var name, JsonValueKind.Array) when SchemaLists.Contains(name):
                    var index = 0;
                    foreach (var item in member.Value.EnumerateArray())
                    {
                        CheckPatterns(item, $"{memberPath}[{index++}]", errors);
                    }

                    break;
                case (var name, JsonValueKind.Object) when SchemaValued.Contains(name):
                    CheckPatterns(member.Value, memberPath, errors);
                    break;
            }
        }
    }

    private static void Compile(string pattern, string path, Dictionary<string, string[]> errors)
    {
        if (SchemaPatterns.TryCompile(pattern, out var error) is null)
        {
            errors[path] = [error!];
        }
    }
}
