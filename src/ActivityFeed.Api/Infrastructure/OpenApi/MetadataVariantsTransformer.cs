using System.Globalization;
using ActivityFeed.Api.Activities.Types;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// Describes an activity's `metadata` as a `oneOf` of every built-in type's metadata schema (plus
/// custom metadata), with a discriminator on the activity's `type`, so generated clients get a real
/// type per activity type. The variants come from the same records the server validates with.
/// </summary>
public sealed class MetadataVariantsTransformer : IOpenApiDocumentTransformer
{
    private static readonly string[] SchemasWithMetadata = ["ActivityResponse", "InboxItemResponse", "CreateActivityRequest"];
    private const string CustomMetadata = "CustomMetadata";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var byClrType = new Dictionary<Type, IOpenApiSchema>();
        var variants = new List<IOpenApiSchema>();
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var type in BuiltInActivityTypes.All)
        {
            if (!byClrType.TryGetValue(type.MetadataType, out var generated))
            {
                generated = await context.GetOrCreateSchemaAsync(type.MetadataType, null, cancellationToken);
                byClrType[type.MetadataType] = generated;
            }

            var name = ComponentName(type.Name);
            var variant = generated.CreateShallowCopy();
            if (variant is OpenApiSchema concrete)
            {
                concrete.Description = $"`metadata` of `{type.Name}` ({type.Source}): {type.Description}";
                AllowExtraMembers(concrete);
            }

            document.Components.Schemas[name] = variant;
            var reference = new OpenApiSchemaReference(name, document);
            variants.Add(reference);
            mapping[type.Name] = reference;
        }

        document.Components.Schemas[CustomMetadata] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "`metadata` of an org's custom type, checked against the JSON Schema registered for that type (GET /orgs/{org_id}/activity-types/{type}).",
        };
        variants.Add(new OpenApiSchemaReference(CustomMetadata, document));

        foreach (var owner in SchemasWithMetadata)
        {
            if (document.Components.Schemas.TryGetValue(owner, out var schema) && schema is OpenApiSchema ownerSchema && ownerSchema.Properties is { } properties)
            {
                properties["metadata"] = new OpenApiSchema
                {
                    Description = "Type-specific data; its shape is chosen by the activity's `type`.",
                    OneOf = [.. variants],
                    Discriminator = new OpenApiDiscriminator { PropertyName = "type", Mapping = mapping },
                };
            }
        }

        // An inbox item is an activity plus its state: every member of the activity is there too.
        if (document.Components.Schemas.TryGetValue("ActivityResponse", out var activity) && activity is OpenApiSchema { Required: { } activityRequired }
            && document.Components.Schemas.TryGetValue("InboxItemResponse", out var item) && item is OpenApiSchema inboxItem)
        {
            inboxItem.Required = new HashSet<string>([.. activityRequired, .. inboxItem.Required ?? new HashSet<string>()]);
        }
    }

    /// <summary>
    /// Metadata may carry members beyond the documented ones (the sources say their payloads grow),
    /// and the server's schemas accept them; the request-body default of refusing them does not apply.
    /// </summary>
    private static void AllowExtraMembers(OpenApiSchema schema)
    {
        schema.AdditionalProperties = null;
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

    /// <summary>message.link_clicked → MessageLinkClickedMetadata.</summary>
    public static string ComponentName(string type) =>
        string.Concat(type.Split('.', '_').Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..])) + "Metadata";
}
