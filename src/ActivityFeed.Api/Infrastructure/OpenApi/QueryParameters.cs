using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

/// <summary>
/// A query parameter a handler reads and validates itself (to name every bad one in a 400 and to
/// refuse unknown ones); this metadata puts it in the OpenAPI document with its real type.
/// </summary>
public sealed record QueryParameter(
    string Name,
    JsonSchemaType Type,
    string Description,
    string? Format = null,
    int? Minimum = null,
    int? Maximum = null,
    object? Default = null,
    IReadOnlyList<string>? Enum = null)
{
    public static readonly QueryParameter Take = new("take", JsonSchemaType.Integer, "Items per page, 1-100.", Minimum: 1, Maximum: 100, Default: 25);
    public static readonly QueryParameter Page = new("page", JsonSchemaType.Integer, "1-based page for offset paging, within the first 10,000 rows; not with `next`.", Minimum: 1, Default: 1);
    public static readonly QueryParameter Next = new("next", JsonSchemaType.String, "The opaque cursor from the previous page's `next` (keyset paging).");
    public static readonly QueryParameter IncludeTotal = new("include_total", JsonSchemaType.Boolean, "Adds `total_count` and `total_pages` (extra work, so opt-in).", Default: false);

    public static readonly QueryParameter[] Paging = [Take, Page, Next, IncludeTotal];

    internal OpenApiParameter ToOpenApi()
    {
        var schema = Type == JsonSchemaType.Array
            ? new OpenApiSchema { Type = Type, Items = new OpenApiSchema { Type = JsonSchemaType.String } }
            : new OpenApiSchema { Type = Type, Format = Format };
        if (Enum is not null)
        {
            // An array parameter's values are its items'.
            (schema.Items as OpenApiSchema ?? schema).Enum = [.. Enum.Select(value => (JsonNode)JsonValue.Create(value))];
        }

        if (Minimum is { } min)
        {
            schema.Minimum = min.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Maximum is { } max)
        {
            schema.Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Default is not null)
        {
            schema.Default = JsonValue.Create(Default);
        }

        return new OpenApiParameter { Name = Name, In = ParameterLocation.Query, Description = Description, Schema = schema };
    }
}

public static class QueryParameterExtensions
{
    public static TBuilder WithQueryParameters<TBuilder>(this TBuilder builder, params QueryParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var parameter in parameters)
        {
            builder.WithMetadata(parameter);
        }

        return builder;
    }
}
