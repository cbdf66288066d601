using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActivityFeed.Api.Infrastructure.Json;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.Validation;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>
/// The JSON Schema of every type's metadata: built-in ones generated once from their records,
/// custom ones parsed from the org's registration and kept while that registration is unchanged.
/// </summary>
public sealed class MetadataSchemas
{
    private const int MaxCachedCustomSchemas = 10_000;

    private static readonly Lazy<FrozenDictionary<string, JsonSchema>> BuiltIn = new(() =>
    {
        var options = new JsonSerializerOptions();
        JsonSetup.Apply(options);
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = options,
            AlwaysAllowAdditionalObjectProperties = true,
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.Null,
        };
        var byClrType = BuiltInActivityTypes.All.Select(t => t.MetadataType).Distinct()
            .ToDictionary(t => t, t => JsonSchema.FromType(t, settings));
        return BuiltInActivityTypes.All.ToFrozenDictionary(t => t.Name, t => byClrType[t.MetadataType], StringComparer.Ordinal);
    });

    private readonly ConcurrentDictionary<(string Org, string Type, DateTimeOffset Version), JsonSchema> _custom = new();

    public static JsonSchema ForBuiltIn(string type) => BuiltIn.Value[type];

    /// <summary>Parses a schema an org registers; null with a reason when it is not a usable JSON Schema.</summary>
    public static async Task<(JsonSchema? Schema, string? Error)> TryParseAsync(string schemaJson)
    {
        try
        {
            return (await JsonSchema.FromJsonAsync(schemaJson), null);
        }
        catch (Exception exception) when (exception is JsonException or Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return (null, exception.Message);
        }
    }

    public async Task<JsonSchema> ForCustomAsync(string orgId, CustomActivityType type)
    {
        var key = (orgId, type.Name, type.UpdatedAt);
        if (_custom.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var (schema, error) = await TryParseAsync(type.MetadataSchema);
        if (schema is null)
        {
            throw new InvalidOperationException($"Stored schema of {type.Name} does not parse: {error}");
        }

        if (_custom.Count >= MaxCachedCustomSchemas)
        {
            _custom.Clear(); // A crude bound; registrations change rarely, so the cache refills quickly.
        }

        _custom[key] = schema;
        return schema;
    }

    /// <summary>Errors keyed by JSON path under <paramref name="prefix"/> (e.g. <c>metadata.changes[0].key</c>).</summary>
    public static Dictionary<string, string[]> Validate(JsonSchema schema, string metadataJson, string prefix)
    {
        var errors = new Dictionary<string, List<string>>();
        foreach (var error in Flatten(schema.Validate(metadataJson)))
        {
            var key = ToPath(prefix, error.Path);
            if (!errors.TryGetValue(key, out var messages))
            {
                errors[key] = messages = [];
            }

            messages.Add(Describe(error));
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray());
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var nested in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static string ToPath(string prefix, string? path)
    {
        var relative = (path ?? "#").TrimStart('#').TrimStart('/').Replace('/', '.');
        return relative.Length == 0 ? prefix : $"{prefix}.{relative}";
    }

    /// <summary>"StringExpected" → "string expected"; with the offending property where there is one.</summary>
    private static string Describe(ValidationError error)
    {
        var words = new StringBuilder();
        foreach (var c in error.Kind.ToString())
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ');
            }

            words.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return error.Kind == ValidationErrorKind.PropertyRequired && error.Property is { } property
            ? $"'{property}' is required."
            : $"Does not match the type's metadata schema: {words}.";
    }
}
