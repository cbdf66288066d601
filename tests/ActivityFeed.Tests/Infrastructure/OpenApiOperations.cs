using System.Text.Json;

namespace ActivityFeed.Tests.Infrastructure;

public sealed record ApiParameter(string Name, string Location, bool Required, JsonElement Schema);

/// <summary>One operation of the committed OpenAPI document, as the adversarial suites drive it.</summary>
public sealed record ApiOperation(
    string Method,
    string Path,
    IReadOnlyList<ApiParameter> Parameters,
    IReadOnlyList<string> BodyMediaTypes,
    JsonElement? Body,
    bool IsStream,
    bool Anonymous)
{
    public string Name => $"{Method} {Path}";

    public IEnumerable<ApiParameter> InPath => Parameters.Where(p => p.Location == "path");

    public IEnumerable<ApiParameter> InQuery => Parameters.Where(p => p.Location == "query");

    public IEnumerable<ApiParameter> InHeader => Parameters.Where(p => p.Location == "header");

    public override string ToString() => Name;
}

/// <summary>
/// Every operation of openapi/v1.json (the committed document, which OpenApiDocumentTests keeps
/// equal to what the server serves), read at test time so a new endpoint is probed without editing
/// the suites; and <c>$ref</c> resolution for its schemas.
/// </summary>
public static class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private static readonly Lazy<JsonElement> LoadedDocument = new(() =>
    {
        var path = System.IO.Path.Combine(LocalMachine.RepositoryRoot(), "openapi", "v1.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    });

    private static readonly Lazy<IReadOnlyList<ApiOperation>> LoadedOperations = new(() => [.. Enumerate(LoadedDocument.Value)]);

    public static JsonElement Document => LoadedDocument.Value;

    public static IReadOnlyList<ApiOperation> All => LoadedOperations.Value;

    /// <summary>The schema a <c>$ref</c> names (followed to the end), or the schema itself.</summary>
    public static JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/components/schemas/".Length..];
            schema = Document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static IEnumerable<ApiOperation> Enumerate(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? common.EnumerateArray().ToList() : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var operation = method.Value;
                var parameters = shared
                    .Concat(operation.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(p => Resolve(p))
                    .Select(p => new ApiParameter(
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("required", out var required) && required.GetBoolean(),
                        p.TryGetProperty("schema", out var schema) ? Resolve(schema) : default))
                    .ToList();
                var mediaTypes = new List<string>();
                JsonElement? bodySchema = null;
                if (operation.TryGetProperty("requestBody", out var body))
                {
                    foreach (var content in Resolve(body).GetProperty("content").EnumerateObject())
                    {
                        mediaTypes.Add(content.Name);
                        bodySchema ??= content.Value.TryGetProperty("schema", out var s) ? s : null;
                    }
                }

                var isStream = operation.GetProperty("responses").EnumerateObject()
                    .Any(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("text/event-stream", out _));
                var anonymous = !operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0;
                yield return new ApiOperation(method.Name.ToUpperInvariant(), path.Name, parameters, mediaTypes, bodySchema, isStream, anonymous);
            }
        }
    }
}
