using System.Text.Json;
using ActivityFeed.Api.Activities;

namespace ActivityFeed.Api.Dialects.Crm;

/// <summary>
/// An activity as the CRM seed returns it. <c>slug</c> is the type, <c>company_id</c> the org,
/// <c>user_id</c> the recipient whose <c>read_at</c> this is. Numeric-looking ids are numbers, as in the seed.
/// </summary>
public sealed record CrmActivity(
    string Id,
    object? UserId,
    object? CompanyId,
    object? ContactId,
    object? VisitorId,
    object? CustomerId,
    string? RelationType,
    object? RelationId,
    string? Title,
    string? Description,
    string? FormattedDescription,
    string Slug,
    DateTimeOffset? ReadAt,
    DateTimeOffset CreatedAt)
{
    public static CrmActivity From(Activity a, string? userId, DateTimeOffset? readAt) =>
        new(a.Id, SourceIds.AsSourceId(userId), SourceIds.AsSourceId(a.OrgId), SourceIds.AsSourceId(a.ContactId),
            SourceIds.AsSourceId(a.VisitorId), SourceIds.AsSourceId(a.CustomerId), a.RelationType, SourceIds.AsSourceId(a.RelationId),
            a.Title, a.Description, a.FormattedDescription, a.Type, readAt, a.CreatedAt);
}

/// <summary>A listed activity with its recipient's state (company scope: the first recipient's).</summary>
public sealed record CrmRow(Activity Activity, string? UserId, DateTimeOffset? ReadAt)
{
    public CrmActivity ToItem() => CrmActivity.From(Activity, UserId, ReadAt);
}

public sealed record CrmMeta(int Page, int PerPage, bool HasMore);

public sealed record CrmList(IReadOnlyList<CrmActivity> Data, CrmMeta Meta);

/// <summary>The seed's create body; ids may be numbers or strings, as its clients send them.</summary>
public sealed record CrmCreateRequest(
    string? Slug,
    JsonElement? UserId = null,
    JsonElement? ContactId = null,
    JsonElement? VisitorId = null,
    JsonElement? CustomerId = null,
    string? RelationType = null,
    JsonElement? RelationId = null,
    string? Title = null,
    string? Description = null,
    string? FormattedDescription = null)
{
    /// <summary>The native create request, or the errors of the ids that are neither a string nor an integer.</summary>
    public CreateActivityRequest ToNative(Dictionary<string, string[]> errors)
    {
        string? Id(JsonElement? value, string name)
        {
            switch (value?.ValueKind)
            {
                case null or JsonValueKind.Null:
                    return null;
                case JsonValueKind.String:
                    return value.Value.GetString();
                case JsonValueKind.Number when value.Value.TryGetInt64(out var number) && number >= 0:
                    return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                default:
                    errors[name] = [$"{name} must be a string or a whole number."];
                    return null;
            }
        }

        var userId = Id(UserId, "user_id");
        var relationId = Id(RelationId, "relation_id");
        return new CreateActivityRequest(
            Type: Slug,
            ContactId: Id(ContactId, "contact_id"),
            VisitorId: Id(VisitorId, "visitor_id"),
            CustomerId: Id(CustomerId, "customer_id"),
            Relation: RelationType is null && relationId is null ? null : new Relation(RelationType, relationId),
            Title: Title,
            Description: Description,
            FormattedDescription: FormattedDescription,
            Recipients: userId is null ? null : [userId]);
    }

    /// <summary>The native write's error names, in the seed's words.</summary>
    public static string FieldName(string native) => native switch
    {
        "type" => "slug",
        "relation" or "relation.type" => "relation_type",
        "relation.id" => "relation_id",
        _ when native.StartsWith("recipients", StringComparison.Ordinal) => "user_id",
        _ => native,
    };
}
