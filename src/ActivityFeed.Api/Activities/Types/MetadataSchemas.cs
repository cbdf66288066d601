using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = JsonSetup.Options,
            AlwaysAllowAdditionalObjectProperties = true,
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.Null,
        };
        var byClrType = BuiltInActivityTypes.All.Select(t => t.MetadataType).Distinct()
            .ToDictionary(t => t, t => JsonSchema.FromType(t, settings));
        return BuiltInActivityTypes.All.ToFrozenDictionary(t => t.Name, t => byClrType[t.MetadataType], StringComparer.Ordinal);
    });

    private readonly ConcurrentDictionary<(string Org, string Type, DateTimeOffset Version), MetadataSchema> _custom = new();

    private static readonly Lazy<FrozenDictionary<string, MetadataSchema>> BuiltInChecks =
        new(() => BuiltIn.Value.ToFrozenDictionary(t => t.Key, t => MetadataSchema.BuiltIn(t.Value), StringComparer.Ordinal));

    /// <summary>The schema as documented (OpenAPI, the activity-types endpoints).</summary>
    public static JsonSchema ForBuiltIn(string type) => BuiltIn.Value[type];

    /// <summary>The same schema, to check writes with.</summary>
    public static MetadataSchema ForBuiltInWrites(string type) => BuiltInChecks.Value[type];

    /// <summary>
    /// Parses a schema an org registers; null with a reason when it is not a usable JSON Schema.
    /// Callers check <see cref="SchemaRegistrationRules"/> first, for errors that name the path.
    /// </summary>
    public static async Task<(MetadataSchema? Schema, string? Error)> TryParseAsync(string schemaJson)
    {
        try
        {
            var parsed = await JsonSchema.FromJsonAsync(schemaJson, documentPath: null, root => new LocalReferenceResolver(root));
            var schema = MetadataSchema.TryLift(parsed, out var patternError);
            return (schema, patternError);
        }
        catch (Exception exception) when (exception is JsonException or Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return (null, exception.Message);
        }
    }

    /// <summary>A stored registration that no longer parses answers its writes with a 400 saying so, never a 500.</summary>
    public async Task<MetadataSchema> ForCustomAsync(string orgId, CustomActivityType type)
    {
        var key = (orgId, type.Name, type.UpdatedAt);
        if (_custom.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var (parsed, error) = await TryParseAsync(type.MetadataSchema);
        var schema = parsed ?? MetadataSchema.Unusable(
            $"The registered metadata schema of '{type.Name}' cannot be used ({error}); register it again with PUT /orgs/{{org_id}}/activity-types/{type.Name}.");

        if (_custom.Count >= MaxCachedCustomSchemas)
        {
            _custom.Clear(); // A crude bound; registrations change rarely, so the cache refills quickly.
        }

        _custom[key] = schema;
        return schema;
    }

    /// <summary>Errors keyed by JSON path under <paramref name="prefix"/> (e.g. <c>metadata.changes[0].key</c>).</summary>
    public static Dictionary<string, string[]> Validate(MetadataSchema schema, string metadataJson, string prefix)
    {
        if (schema.Problem is { } problem)
        {
            return new() { [prefix] = [problem] };
        }

        ICollection<ValidationError> found;
        try
        {
            found = schema.Validate(metadataJson);
        }
        catch (RegexMatchTimeoutException)
        {
            return new() { [prefix] = ["Matching the patterns of the type's metadata schema took too long."] };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The schema was written by an org admin and the metadata by a client: whatever trips the
            // validator is input it cannot check, a 400, not a server fault.
            return new() { [prefix] = ["The metadata could not be checked against the type's metadata schema."] };
        }

        var errors = new Dictionary<string, List<string>>();
        foreach (var error in Flatten(found))
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
