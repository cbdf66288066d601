namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// Which <see cref="IdKind"/> a parameter or body member of the OpenAPI document names. An
/// id-looking name this does not know is an error the suites report, so a new id parameter is
/// never silently left unprobed.
/// </summary>
public static class IdParameters
{
    private static readonly Dictionary<string, IdKind> ByName = new(StringComparer.Ordinal)
    {
        ["org_id"] = IdKind.Org,
        ["key_id"] = IdKind.ApiKey,
        ["token_id"] = IdKind.UserToken,
        ["webhook_id"] = IdKind.Webhook,
        ["user_id"] = IdKind.User,
        ["actor_id"] = IdKind.User,
        ["user_guid"] = IdKind.User,
        ["recipients"] = IdKind.User,
        ["contact_id"] = IdKind.Contact,
        ["person_id"] = IdKind.Contact,
        ["resource_id"] = IdKind.Contact,
        ["visitor_id"] = IdKind.Visitor,
        ["customer_id"] = IdKind.Customer,
        ["record_id"] = IdKind.Record,
        ["table_id"] = IdKind.Table,
        ["segment_id"] = IdKind.Segment,
        ["broadcast_id"] = IdKind.Broadcast,
        ["assistant_id"] = IdKind.Assistant,
        ["relation_id"] = IdKind.Relation,
        ["external_id"] = IdKind.External,
        ["sequence_id"] = IdKind.Sequence,
        ["sequence_template_id"] = IdKind.Sequence,
        ["ids"] = IdKind.Activity,
        ["type"] = IdKind.ActivityType,
    };

    /// <summary>Id-looking names that are no tenant's resource id, each with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotResourceIds = new Dictionary<string, string>
    {
        ["last_event_id"] = "a stream position, not a resource: malformed and foreign positions are GeneratedBadInputTests' cursors",
    };

    /// <summary>The collection segment before <c>{id}</c> says what it names.</summary>
    private static readonly Dictionary<string, IdKind> ByCollection = new(StringComparer.Ordinal)
    {
        ["activities"] = IdKind.Activity,
        ["users"] = IdKind.User,
        ["contacts"] = IdKind.Contact,
        ["records"] = IdKind.Record,
        ["tables"] = IdKind.Table,
        ["segments"] = IdKind.Segment,
        ["broadcasts"] = IdKind.Broadcast,
        ["assistants"] = IdKind.Assistant,
        ["activity-types"] = IdKind.ActivityType,
    };

    /// <summary>Server-generated ids: another org's is never a name the caller's org could also use, so it is always a 404.</summary>
    public static bool IsServerGenerated(IdKind kind) => kind is IdKind.Activity or IdKind.ApiKey or IdKind.UserToken or IdKind.Webhook;

    public static bool LooksLikeId(string name) => name == "id" || name == "ids" || name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("_guid", StringComparison.Ordinal);

    /// <summary>The kind a path parameter names, or null when unknown (the suite fails on that).</summary>
    public static IdKind? InPath(string path, string name)
    {
        if (name is "id" or "type")
        {
            var segments = path.Split('/');
            var at = Array.IndexOf(segments, "{" + name + "}");
            return at > 0 && ByCollection.TryGetValue(segments[at - 1], out var kind) ? kind : null;
        }

        return ByName.TryGetValue(name, out var named) ? named : null;
    }

    /// <summary>The kind a body member names, or null (nested members such as <c>board_id</c> name no tenant resource).</summary>
    public static IdKind? InBody(string name) =>
        name != "type" && !NotResourceIds.ContainsKey(name) && (name == "id" ? IdKind.Activity : ByName.GetValueOrDefault(name, (IdKind)(-1))) is var kind && kind >= 0 ? kind : null;

    /// <summary>The kind a query parameter names: null when it names none (not id-looking), an exception when id-looking but unknown.</summary>
    public static IdKind? InQuery(string operation, string name, bool idLookingOnly = true)
    {
        if (NotResourceIds.ContainsKey(name))
        {
            return null;
        }

        if (name == "id")
        {
            return IdKind.Activity;
        }

        if (ByName.TryGetValue(name, out var kind) && (name != "type" || !idLookingOnly))
        {
            return kind;
        }

        return LooksLikeId(name)
            ? throw new InvalidOperationException($"{operation}: '{name}' looks like an id but IdParameters does not know what it names; add it (or to NotResourceIds with the reason).")
            : null;
    }
}
