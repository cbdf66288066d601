using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// Timestamps are written by our own converter (six fractional digits), which hides their type
/// from the document generator: it emits <c>{"format": "date-time"}</c> or nothing at all. Clients
/// need <c>string</c> (and <c>null</c> where the member is nullable) to type them.
/// </summary>
public sealed class TimestampSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonPropertyInfo?.PropertyType ?? context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            schema.Type = type == typeof(DateTimeOffset?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
            schema.Pattern = null;
            schema.OneOf = null;
        }

        return Task.CompletedTask;
    }
}
