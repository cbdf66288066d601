using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// A PATCH body is a JSON merge patch (RFC 7396): every member is optional, so the schema of any
/// PATCH request body lists none as required. And wherever a nullable member is
/// <c>oneOf [null, X]</c> with an X that accepts null itself (an untyped JSON value), the two
/// branches both match null, which <c>oneOf</c> forbids: the member becomes a JSON object or null.
/// </summary>
public sealed class MergePatchBodiesTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return Task.CompletedTask;
        }

        var patchBodies = (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>())
            .SelectMany(path => path.Operations ?? [])
            .Where(operation => operation.Key == HttpMethod.Patch)
            .SelectMany(operation => operation.Value.RequestBody?.Content?.Values ?? [])
            .Select(media => media.Schema)
            .OfType<OpenApiSchemaReference>()
            .Select(reference => reference.Reference.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var name in patchBodies)
        {
            if (schemas.TryGetValue(name, out var body) && body is OpenApiSchema patch)
            {
                patch.Required = null;
            }
        }

        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
        {
            foreach (var (member, property) in schema.Properties?.ToList() ?? [])
            {
                if (property is OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, OpenApiSchemaReference { Reference.Id: { } target }] }
                    && schemas.TryGetValue(target, out var targetSchema) && AcceptsAnything(targetSchema))
                {
                    schema.Properties![member] = new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null };
                }
            }
        }

        return Task.CompletedTask;
    }

    private static bool AcceptsAnything(IOpenApiSchema schema) =>
        schema is OpenApiSchema { Type: null, Properties: null or { Count: 0 }, OneOf: null or { Count: 0 }, AllOf: null or { Count: 0 }, AnyOf: null or { Count: 0 }, Enum: null or { Count: 0 }, Const: null };
}
