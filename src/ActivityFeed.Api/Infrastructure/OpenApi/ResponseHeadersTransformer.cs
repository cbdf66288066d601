using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents the response headers the contract promises, by what a response is, on every
/// operation: <c>WWW-Authenticate</c> on 401 and <c>Retry-After</c> on 429 (always), and on 409
/// (an idempotent retry still in flight); <c>Location</c> on a 201 that answers one resource (a
/// schema with an <c>id</c>); <c>Link</c> on a list envelope; <c>Idempotency-Replayed</c> on the
/// 200 of an operation that takes an <c>Idempotency-Key</c>. Validating proxies check them.
/// </summary>
public sealed class ResponseHeadersTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var operation in (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            var idempotent = operation.Parameters?.Any(p => p is { In: ParameterLocation.Header, Name: "Idempotency-Key" }) == true;
            foreach (var (status, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (response is not OpenApiResponse concrete)
                {
                    continue;
                }

                var body = BodySchema(concrete, schemas);
                switch (status)
                {
                    case "401":
                        Add(concrete, "WWW-Authenticate", "`Bearer`, with the reason of the refusal.", required: true, Text("^Bearer"));
                        break;
                    case "429":
                        Add(concrete, "Retry-After", "Seconds until the limit lets a request through again.", required: true, Seconds());
                        break;
                    case "409":
                        Add(concrete, "Retry-After", "Seconds after which a retry of an idempotent write in flight gets its result.", required: false, Seconds());
                        break;
                    case "201" when body?.Properties?.ContainsKey("id") == true:
                        Add(concrete, "Location", "The path of the created resource.", required: true, Text("^/"));
                        break;
                    case "200" when body?.Properties is { } properties && properties.ContainsKey("items") && properties.ContainsKey("has_more"):
                        Add(concrete, "Link", "RFC 8288 `<…>; rel=\"next\"` when there is a next page.", required: false, Text("rel=\"next\""));
                        break;
                }

                if (status == "200" && idempotent)
                {
                    Add(concrete, "Idempotency-Replayed", "`true` when this answer replays an earlier write with the same key or `external_id`.", required: false,
                        new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("true")] });
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The response's JSON schema; for a oneOf of variants, the first variant's shared members are enough to tell a resource.</summary>
    private static OpenApiSchema? BodySchema(OpenApiResponse response, IDictionary<string, IOpenApiSchema> schemas)
    {
        var schema = response.Content?.Values.Select(media => media.Schema).FirstOrDefault();
        for (var depth = 0; depth < 8 && schema is not null; depth++)
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                schema = schemas.TryGetValue(id, out var target) ? target : null;
            }
            else if (schema is OpenApiSchema { Properties.Count: > 0 } concrete)
            {
                return concrete;
            }
            else
            {
                schema = schema.OneOf?.FirstOrDefault() ?? schema.AllOf?.FirstOrDefault();
            }
        }

        return null;
    }

    private static OpenApiSchema Text(string pattern) => new() { Type = JsonSchemaType.String, Pattern = pattern };

    private static OpenApiSchema Seconds() => new() { Type = JsonSchemaType.String, Pattern = "^[0-9]+$" };

    private static void Add(OpenApiResponse response, string name, string description, bool required, OpenApiSchema schema)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = required, Schema = schema };
    }
}
