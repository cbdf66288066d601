using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>Finds the metadata schema of each type a write uses: built-in ones from memory, custom ones in one query.</summary>
public sealed class ActivityTypeCatalog(ActivityFeedDb db, MetadataSchemas schemas)
{
    public async Task<IReadOnlyDictionary<string, MetadataSchema>> ResolveAsync(string orgId, IEnumerable<string> types, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, MetadataSchema>(StringComparer.Ordinal);
        var custom = new List<string>();
        foreach (var type in types.Distinct(StringComparer.Ordinal))
        {
            if (BuiltInActivityTypes.ByName.ContainsKey(type))
            {
                resolved[type] = MetadataSchemas.ForBuiltInWrites(type);
            }
            else
            {
                custom.Add(type);
            }
        }

        if (custom.Count > 0)
        {
            var registered = await db.ActivityTypes.AsNoTracking()
                .Where(t => t.OrgId == orgId && custom.Contains(t.Name))
                .ToListAsync(cancellationToken);
            foreach (var type in registered)
            {
                resolved[type.Name] = await schemas.ForCustomAsync(orgId, type);
            }
        }

        return resolved;
    }

    /// <summary>Unknown types and metadata that fails its schema, keyed under <paramref name="prefix"/>.</summary>
    public static void Check(string? type, string metadataJson, IReadOnlyDictionary<string, MetadataSchema> schemas, string prefix, IDictionary<string, string[]> errors)
    {
        if (type is null)
        {
            return;
        }

        if (!schemas.TryGetValue(type, out var schema))
        {
            errors[$"{prefix}type"] = [$"Unknown activity type '{type}': use a built-in type or register it with PUT /orgs/{{org_id}}/activity-types/{type}."];
            return;
        }

        foreach (var (path, messages) in MetadataSchemas.Validate(schema, metadataJson, $"{prefix}metadata"))
        {
            errors[path] = messages;
        }
    }
}
