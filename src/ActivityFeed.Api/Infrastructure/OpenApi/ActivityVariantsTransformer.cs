using System.Globalization;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Types;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// Describes every schema that carries an activity's <c>type</c> and <c>metadata</c> (the activity,
/// the inbox item, the create request, and whatever embeds one later) as a <c>oneOf</c> with one
/// variant per built-in type plus one for custom types (inline), discriminated by the activity's own
/// <c>type</c>: each variant is the shared members (<c>{Owner}Fields</c>) and a required <c>type</c>
/// <c>const</c> with that type's typed <c>metadata</c>. This is the shape generators (Kiota, NSwag,
/// openapi-typescript) turn into real types, and the variants exclude each other, so validators
/// match exactly one. The wire format is unchanged: the discriminator is the member the server
/// always wrote. The metadata schemas come from the same records the server validates with.
/// </summary>
public sealed class ActivityVariantsTransformer : IOpenApiDocumentTransformer
{
    private const string TypeMember = "type";
    private const string MetadataMember = "metadata";
    private const string CustomMetadata = "CustomMetadata";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        var schemas = document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var metadataByType = await AddMetadataSchemasAsync(document, context, cancellationToken);

        foreach (var (owner, schema) in schemas.ToList())
        {
            if (schema is OpenApiSchema { Properties: { } properties } ownerSchema
                && properties.ContainsKey(TypeMember) && properties.ContainsKey(MetadataMember))
            {
                SplitByType(document, owner, ownerSchema, metadataByType);
            }
        }
    }

    /// <summary>One component per built-in type (`SentEmailMetadata`), and `CustomMetadata`.</summary>
    private static async Task<Dictionary<string, string>> AddMetadataSchemasAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components!.Schemas!;
        var byClrType = new Dictionary<Type, IOpenApiSchema>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in BuiltInActivityTypes.All)
        {
            if (!byClrType.TryGetValue(type.MetadataType, out var generated))
            {
                generated = await context.GetOrCreateSchemaAsync(type.MetadataType, null, cancellationToken);
                byClrType[type.MetadataType] = generated;
            }

            var name = ComponentName(type.Name, "Metadata");
            var variant = generated.CreateShallowCopy();
            if (variant is OpenApiSchema concrete)
            {
                concrete.Description = $"`metadata` of `{type.Name}` ({type.Source}): {type.Description}";
                AllowExtraMembers(concrete);
            }

            schemas[name] = variant;
            names[type.Name] = name;
        }

        schemas[CustomMetadata] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            AdditionalProperties = new OpenApiSchema(),
            Description = "`metadata` of an org's custom type, checked against the JSON Schema registered for that type (GET /orgs/{org_id}/activity-types/{type}).",
        };
        return names;
    }

    private static void SplitByType(OpenApiDocument document, string owner, OpenApiSchema ownerSchema, Dictionary<string, string> metadataByType)
    {
        var schemas = document.Components!.Schemas!;
        var closed = ownerSchema.AdditionalPropertiesAllowed == false || ownerSchema.AdditionalProperties is not null;
        var metadataRequired = ownerSchema.Required?.Contains(MetadataMember) == true;

        // The members every type shares; `additionalProperties: false` cannot see through `allOf`,
        // so each variant closes itself with `unevaluatedProperties` instead.
        var fieldsName = owner + "Fields";
        var fields = ownerSchema.CreateShallowCopy() as OpenApiSchema ?? throw new InvalidOperationException(owner);
        fields.Properties = new Dictionary<string, IOpenApiSchema>(ownerSchema.Properties!.Where(p => p.Key is not (TypeMember or MetadataMember)));
        fields.Required = ownerSchema.Required is null ? null : new HashSet<string>(ownerSchema.Required.Where(r => r is not (TypeMember or MetadataMember)));
        fields.AdditionalProperties = null;
        fields.AdditionalPropertiesAllowed = true;
        fields.Description = $"The members of `{owner}` that every activity type shares.";
        schemas[fieldsName] = fields;

        var variants = new List<IOpenApiSchema>();
        var mapping = new Dictionary<string, OpenApiSchemaReference>(StringComparer.Ordinal);
        foreach (var type in BuiltInActivityTypes.All)
        {
            var name = ComponentName(type.Name, owner);
            schemas[name] = Variant(document, fieldsName, closed, metadataRequired,
                new OpenApiSchema { Type = JsonSchemaType.String, Const = type.Name },
                metadataByType[type.Name], $"`{owner}` of type `{type.Name}`.");
            var reference = new OpenApiSchemaReference(name, document);
            variants.Add(reference);
            mapping[type.Name] = reference;
        }

        // Inline, not a component: a referenced variant missing from the mapping would be given its
        // component name as discriminator value by generators (openapi-typescript types `type` so).
        variants.Add(Variant(document, fieldsName, closed, metadataRequired,
            new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = ActivityRules.TypePattern,
                MaxLength = 64,
                Not = new OpenApiSchema { Enum = [.. BuiltInActivityTypes.All.Select(t => (JsonNode)JsonValue.Create(t.Name))] },
                Description = "A type the org registered (PUT /orgs/{org_id}/activity-types/{type}); never a built-in one.",
            },
            CustomMetadata, $"`{owner}` of a custom type of the org."));

        schemas[owner] = new OpenApiSchema
        {
            Description = (ownerSchema.Description is { Length: > 0 } d ? d + "\n\n" : "")
                          + "One variant per activity `type` (the discriminator), each with that type's typed `metadata`.",
            OneOf = variants,
            Discriminator = new OpenApiDiscriminator { PropertyName = TypeMember, Mapping = mapping },
        };
    }

    private static OpenApiSchema Variant(OpenApiDocument document, string fieldsName, bool closed, bool metadataRequired, OpenApiSchema type, string metadata, string description) =>
        new()
        {
            Description = description,
            AllOf =
            [
                new OpenApiSchemaReference(fieldsName, document),
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = metadataRequired ? new HashSet<string> { TypeMember, MetadataMember } : new HashSet<string> { TypeMember },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [TypeMember] = type,
                        [MetadataMember] = new OpenApiSchemaReference(metadata, document),
                    },
                },
            ],
            UnevaluatedProperties = !closed,
        };

    /// <summary>
    /// Metadata may carry members beyond the documented ones (the sources say their payloads grow),
    /// and the server's schemas accept them; the request-body default of refusing them does not apply.
    /// </summary>
    private static void AllowExtraMembers(OpenApiSchema schema)
    {
        // Said explicitly (`{}`): generators read an object schema without it as "no other members".
        if (schema.Type?.HasFlag(JsonSchemaType.Object) == true)
        {
            schema.AdditionalProperties = new OpenApiSchema();
        }

        schema.AdditionalPropertiesAllowed = true;
        foreach (var property in schema.Properties?.Values ?? [])
        {
            if (property is OpenApiSchema nested)
            {
                AllowExtraMembers(nested);
                if (nested.Items is OpenApiSchema items)
                {
                    AllowExtraMembers(items);
                }
            }
        }
    }

    /// <summary>message.link_clicked + Metadata → MessageLinkClickedMetadata.</summary>
    public static string ComponentName(string type, string suffix) =>
        string.Concat(type.Split('.', '_').Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..])) + suffix;
}
