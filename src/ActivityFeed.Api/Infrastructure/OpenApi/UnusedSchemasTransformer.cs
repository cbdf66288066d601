using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// Drops component schemas nothing refers to any more (the other transformers inline some, e.g. a
/// nullable <c>JsonNode</c> member becomes an object-or-null), so linters see no unused components.
/// Runs last.
/// </summary>
public sealed partial class UnusedSchemasTransformer : IOpenApiDocumentTransformer
{
    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaReference();

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }

        while (true)
        {
            var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken);
            var used = SchemaReference().Matches(json).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            var unused = schemas.Keys.Where(name => !used.Contains(name)).ToList();
            if (unused.Count == 0)
            {
                return;
            }

            foreach (var name in unused)
            {
                schemas.Remove(name);
            }
        }
    }
}
