using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Activities.Types;
using FluentValidation;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// The fields PATCH may change (documentation of the body; the handler reads the raw JSON so it can
/// tell an absent member from a null one, as RFC 7396 requires).
/// </summary>
public sealed record ActivityPatchRequest(
    string? Title,
    string? Description,
    string? FormattedDescription,
    string? Comment,
    IReadOnlyList<string>? Tags,
    bool? Pinned,
    JsonElement? Metadata,
    Relation? Relation);

public sealed record PatchedTextFields(string? Title, string? Description, string? FormattedDescription, string? Comment, IReadOnlyList<string>? Tags, Relation? Relation);

public sealed class PatchedTextFieldsValidator : AbstractValidator<PatchedTextFields>
{
    public PatchedTextFieldsValidator()
    {
        RuleFor(a => a.Title).Text(500);
        RuleFor(a => a.Description).Text(10_000);
        RuleFor(a => a.FormattedDescription).Text(20_000);
        RuleFor(a => a.Comment).Text(20_000);
        RuleFor(a => a.Tags).Tags();
        this.RelationRules(a => a.Relation);
    }
}

/// <summary>Applies a JSON merge patch (RFC 7396) to an activity, field by field.</summary>
public static class ActivityPatch
{
    private static readonly HashSet<string> Patchable = ["title", "description", "formatted_description", "comment", "tags", "pinned", "metadata", "relation"];

    private static readonly HashSet<string> Immutable =
    [
        "id", "type", "occurred_at", "created_at", "updated_at", "actor_id", "assistant_id", "contact_id", "visitor_id",
        "customer_id", "table_id", "record_id", "segment_id", "broadcast_id", "external_id", "pinned_at", "channel",
        "recipients", "note", "file", "attachments", "actor", "assistant", "segment", "broadcast",
    ];

    private static readonly PatchedTextFieldsValidator Validator = new();

    /// <summary>Checks the patch's members and shapes before any row is read.</summary>
    public static Dictionary<string, string[]> CheckMembers(JsonObject patch)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in patch)
        {
            if (Immutable.Contains(name))
            {
                errors[name] = [$"{name} cannot be changed after the activity is written."];
            }
            else if (!Patchable.Contains(name))
            {
                errors[name] = ["Unknown field."];
            }
            else if (!HasAllowedKind(name, value))
            {
                errors[name] = [$"{name} has the wrong JSON type."];
            }
        }

        return errors;
    }

    /// <returns>Errors, empty when the patch applied; <paramref name="changed"/> says whether anything differs.</returns>
    public static Dictionary<string, string[]> Apply(Activity activity, JsonObject patch, JsonSchemaLookup metadataSchema, DescriptionSanitizer sanitizer, DateTimeOffset now, out bool changed)
    {
        var before = Snapshot(activity);
        string? Text(string name, string? current) => patch.TryGetPropertyValue(name, out var v) ? v?.GetValue<string>() : current;

        var tags = patch.TryGetPropertyValue("tags", out var tagsNode)
            ? tagsNode?.AsArray().Select(t => t?.GetValue<string>() ?? "").ToList() ?? []
            : activity.Tags.ToList();
        var relation = activity.RelationType is null ? null : new JsonObject { ["type"] = activity.RelationType, ["id"] = activity.RelationId };
        if (patch.TryGetPropertyValue("relation", out var relationPatch))
        {
            relation = MergePatch(relation, relationPatch) as JsonObject;
        }

        var relationValue = relation is null ? null : new Relation(relation["type"]?.GetValue<string>(), relation["id"]?.GetValue<string>());
        var fields = new PatchedTextFields(
            Text("title", activity.Title), Text("description", activity.Description),
            Text("formatted_description", activity.FormattedDescription), Text("comment", activity.Comment), tags, relationValue);
        var errors = new Dictionary<string, string[]>(Validator.Validate(fields).ToDictionary());

        var metadataBefore = JsonNode.Parse(activity.Metadata);
        var metadata = metadataBefore;
        if (patch.TryGetPropertyValue("metadata", out var metadataPatch))
        {
            metadata = MergePatch(metadata, metadataPatch) ?? new JsonObject();
            if (metadata is JsonObject merged && merged.ContainsKey("type"))
            {
                if (merged["type"]?.GetValueKind() != JsonValueKind.String || merged["type"]!.GetValue<string>() != activity.Type)
                {
                    errors["metadata.type"] = [$"metadata.type, when sent, must equal the activity's type '{activity.Type}'."];
                }

                merged.Remove("type");
            }

            var metadataJson = metadata.ToJsonString();
            if (metadataJson.Length > ActivityRules.MaxMetadataBytes)
            {
                errors["metadata"] = [$"metadata may be at most {ActivityRules.MaxMetadataBytes} bytes."];
            }
            else if (metadataSchema(activity.Type) is { } schema)
            {
                foreach (var (path, messages) in MetadataSchemas.Validate(schema, metadataJson, "metadata"))
                {
                    errors[path] = messages;
                }
            }
        }

        changed = false;
        if (errors.Count > 0)
        {
            return errors;
        }

        activity.Title = fields.Title;
        activity.Description = fields.Description;
        activity.FormattedDescription = fields.FormattedDescription is { } html && patch.ContainsKey("formatted_description")
            ? sanitizer.Sanitize(html)
            : fields.FormattedDescription;
        activity.Comment = fields.Comment;
        activity.Tags = tags.Distinct(StringComparer.Ordinal).ToArray();
        activity.RelationType = relationValue?.Type;
        activity.RelationId = relationValue?.Id;
        activity.Metadata = metadata!.ToJsonString();
        if (patch.TryGetPropertyValue("pinned", out var pinned))
        {
            var pin = pinned?.GetValue<bool>() == true;
            activity.PinnedAt = pin ? activity.PinnedAt ?? now : null;
        }

        changed = Snapshot(activity) != before || !JsonNode.DeepEquals(metadataBefore, metadata);
        if (changed)
        {
            activity.UpdatedAt = now;
        }

        return errors;
    }

    public delegate MetadataSchema? JsonSchemaLookup(string type);

    /// <summary>RFC 7396: objects merge member by member, null removes, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = MergePatch(result[name], value);
            }
        }

        return result;
    }

    private static bool HasAllowedKind(string name, JsonNode? value) => name switch
    {
        "title" or "description" or "formatted_description" or "comment" => value is null || value.GetValueKind() == JsonValueKind.String,
        "tags" => value is null || (value is JsonArray array && array.All(t => t?.GetValueKind() == JsonValueKind.String)),
        "pinned" => value is null || value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "metadata" => value is null || value is JsonObject,
        "relation" => value is null || (value is JsonObject relation && relation.All(m => m.Key is "type" or "id" && (m.Value is null || m.Value.GetValueKind() == JsonValueKind.String))),
        _ => false,
    };

    private static string Snapshot(Activity a) => JsonSerializer.Serialize(new object?[]
    {
        a.Title, a.Description, a.FormattedDescription, a.Comment, a.Tags, a.RelationType, a.RelationId, a.PinnedAt,
    });
}
