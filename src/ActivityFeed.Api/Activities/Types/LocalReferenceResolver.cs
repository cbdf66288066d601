using NJsonSchema;
using NJsonSchema.References;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>
/// Resolves references within the schema being parsed and refuses the rest. NJsonSchema's own
/// resolver downloads http(s) references and reads files, which would let an org admin make the
/// server call any address; <see cref="SchemaRegistrationRules"/> refuses such schemas at
/// registration, and this keeps a stored one from doing it later.
/// </summary>
public sealed class LocalReferenceResolver(JsonSchema root)
    : JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
{
    public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The reference '{filePath}' points outside the schema; only '#…' references are resolved.");

    public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The reference '{url}' points outside the schema; only '#…' references are resolved.");
}
