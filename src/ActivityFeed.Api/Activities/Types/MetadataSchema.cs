using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>
/// A type's metadata schema, ready to check metadata. NJsonSchema checks everything but the
/// regular expressions: it matches <c>pattern</c> and <c>patternProperties</c> with backtracking
/// regexes and no time limit, so for registered schemas they are lifted out of its model and
/// matched here with <see cref="SchemaPatterns"/>. <see cref="Problem"/> is set instead when a
/// stored registration cannot be used any more (it predates today's rules).
/// </summary>
public sealed class MetadataSchema
{
    private readonly Dictionary<JsonSchema, Regex> _patterns = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JsonSchema, LiftedMembers> _members = new(ReferenceEqualityComparer.Instance);

    private readonly bool _lifted;

    private MetadataSchema(JsonSchema? schema, string? problem, bool lifted)
    {
        Schema = schema;
        Problem = problem;
        _lifted = lifted;
    }

    public JsonSchema? Schema { get; }

    public string? Problem { get; }

    /// <summary>Our own schemas, whose patterns are ours: used as NJsonSchema generated them (the OpenAPI document shows them).</summary>
    public static MetadataSchema BuiltIn(JsonSchema schema) => new(schema, null, lifted: false);

    public static MetadataSchema Unusable(string problem) => new(null, problem, lifted: false);

    /// <summary>Takes over the patterns of a freshly parsed registered schema; null with the reason when one does not compile.</summary>
    public static MetadataSchema? TryLift(JsonSchema parsed, out string? error)
    {
        error = null;
        var lifted = new MetadataSchema(parsed, null, lifted: true);
        foreach (var schema in Reachable(parsed))
        {
            if (!string.IsNullOrEmpty(schema.Pattern))
            {
                if (SchemaPatterns.TryCompile(schema.Pattern, out error) is not { } regex)
                {
                    return null;
                }

                lifted._patterns[schema] = regex;
                schema.Pattern = null;
            }

            if (schema.PatternProperties.Count > 0)
            {
                var patterns = new List<(Regex, JsonSchema)>();
                foreach (var (pattern, memberSchema) in schema.PatternProperties)
                {
                    if (SchemaPatterns.TryCompile(pattern, out error) is not { } regex)
                    {
                        return null;
                    }

                    patterns.Add((regex, memberSchema));
                }

                // Which members count as additional depends on the patterns, so additionalProperties moves too.
                lifted._members[schema] = new LiftedMembers(patterns, schema.AllowAdditionalProperties, schema.AdditionalPropertiesSchema);
                schema.PatternProperties.Clear();
                schema.AdditionalPropertiesSchema = null;
                schema.AllowAdditionalProperties = true;
            }
        }

        return lifted;
    }

    public ICollection<ValidationError> Validate(string metadataJson)
    {
        using var reader = new JsonTextReader(new StringReader(metadataJson)) { DateParseHandling = DateParseHandling.None };
        var token = JToken.ReadFrom(reader);
        return new Validator(this).Validate(token, Schema!);
    }

    private static IEnumerable<JsonSchema> Reachable(JsonSchema root)
    {
        var seen = new HashSet<JsonSchema>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<JsonSchema>([root]);
        while (pending.TryPop(out var schema))
        {
            if (!seen.Add(schema))
            {
                continue;
            }

            yield return schema;
            IEnumerable<JsonSchema?> children =
            [
                schema.Reference, schema.Item, schema.Not, schema.AdditionalItemsSchema, schema.AdditionalPropertiesSchema, schema.DictionaryKey,
                .. schema.Properties.Values, .. schema.PatternProperties.Values, .. schema.Definitions.Values,
                .. schema.Items, .. schema.AllOf, .. schema.AnyOf, .. schema.OneOf,
                .. schema.ExtensionData?.Values.OfType<JsonSchema>() ?? [],
            ];
            foreach (var child in children.OfType<JsonSchema>())
            {
                pending.Push(child);
            }
        }
    }

    private sealed record LiftedMembers(IReadOnlyList<(Regex Pattern, JsonSchema Schema)> Patterns, bool AllowAdditional, JsonSchema? AdditionalSchema);

    /// <summary>NJsonSchema's validator plus the lifted patterns, checked for every (value, schema) pair it visits.</summary>
    private sealed class Validator(MetadataSchema owner) : JsonSchemaValidator
    {
        protected override ICollection<ValidationError> Validate(JToken token, JsonSchema schema, SchemaType schemaType, string? propertyName, string propertyPath)
        {
            // Fail closed: a schema the lifting did not reach would be matched by NJsonSchema, unbounded.
            if (owner._lifted && (!string.IsNullOrEmpty(schema.Pattern) || schema.PatternProperties.Count > 0))
            {
                throw new InvalidOperationException("A schema reached during validation still holds patterns of its own.");
            }

            var errors = new List<ValidationError>(base.Validate(token, schema, schemaType, propertyName, propertyPath));
            if (owner._patterns.TryGetValue(schema, out var pattern) && token.Type == JTokenType.String && !pattern.IsMatch(token.Value<string>()!))
            {
                errors.Add(new ValidationError(ValidationErrorKind.PatternMismatch, propertyName, propertyPath, token, schema));
            }

            if (owner._members.TryGetValue(schema, out var members) && token is JObject value)
            {
                CheckMembers(value, schema, members, schemaType, propertyPath, errors);
            }

            return errors;
        }

        /// <summary>JSON Schema's rule: a member matching any patterns is checked by each; one in neither properties nor patterns is additional.</summary>
        private void CheckMembers(JObject value, JsonSchema schema, LiftedMembers members, SchemaType schemaType, string propertyPath, List<ValidationError> errors)
        {
            foreach (var property in value.Properties())
            {
                if (schema.Properties.ContainsKey(property.Name))
                {
                    continue;
                }

                var path = string.IsNullOrEmpty(propertyPath) ? property.Name : $"{propertyPath}.{property.Name}";
                var matched = false;
                foreach (var (pattern, memberSchema) in members.Patterns)
                {
                    if (pattern.IsMatch(property.Name))
                    {
                        matched = true;
                        errors.AddRange(Validate(property.Value, memberSchema.ActualSchema, schemaType, property.Name, path));
                    }
                }

                if (matched)
                {
                    continue;
                }

                if (members.AdditionalSchema is { } additional)
                {
                    errors.AddRange(Validate(property.Value, additional.ActualSchema, schemaType, property.Name, path));
                }
                else if (!members.AllowAdditional)
                {
                    errors.Add(new ValidationError(ValidationErrorKind.NoAdditionalPropertiesAllowed, property.Name, path, property, schema));
                }
            }
        }
    }
}
