using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// Every problem the server writes carries <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>
/// and <c>trace_id</c> (Infrastructure/Errors/ProblemDetailsSetup); the framework's schemas know
/// neither the extension member nor that the others are always there.
/// </summary>
public sealed class ProblemSchemasTransformer : IOpenApiDocumentTransformer
{
    private static readonly string[] ProblemSchemas = ["ProblemDetails", "HttpValidationProblemDetails"];
    private static readonly string[] AlwaysPresent = ["type", "title", "status", "detail", "trace_id"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var name in ProblemSchemas)
        {
            if (document.Components?.Schemas?.TryGetValue(name, out var found) != true || found is not OpenApiSchema { Properties: { } properties } schema)
            {
                continue;
            }

            properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id of the request, as in the server's logs." };
            schema.Required = new HashSet<string>(AlwaysPresent);
            if (properties.TryGetValue("errors", out var errors) && errors is OpenApiSchema errorMap)
            {
                errorMap.Description = "Each offending field or parameter (e.g. `activities[3].type`, `metadata.changes[0].key`) with its messages.";
            }
        }

        return Task.CompletedTask;
    }
}
