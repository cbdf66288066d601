using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// The dialects' ids are a JSON number or a string (the sources number their records), which the
/// generator can only see as "anything": say so, so generated clients get a real union.
/// </summary>
public sealed class SourceIdSchemaTransformer : IOpenApiSchemaTransformer
{
    private const string DialectsNamespace = "ActivityFeed.Api.Dialects";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var property = context.JsonPropertyInfo;
        if (property?.DeclaringType.Namespace?.StartsWith(DialectsNamespace, StringComparison.Ordinal) == true
            && property.Name.EndsWith("_id", StringComparison.Ordinal)
            && (property.PropertyType == typeof(object) || property.PropertyType == typeof(JsonElement?)))
        {
            schema.Type = JsonSchemaType.Integer | JsonSchemaType.String | JsonSchemaType.Null;
            schema.Description = "A whole number when the id is one, else a string.";
        }

        return Task.CompletedTask;
    }
}
