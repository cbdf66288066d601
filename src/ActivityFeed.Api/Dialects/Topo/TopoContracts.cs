using System.Text.Json;
using ActivityFeed.Api.Activities;

namespace ActivityFeed.Api.Dialects.Topo;

/// <summary>The resources a Topo event refers to: the person is the contact, the others metadata members.</summary>
public sealed record TopoPayload(
    [property: System.Text.Json.Serialization.JsonPropertyName("organizationId")] string? OrganizationId,
    [property: System.Text.Json.Serialization.JsonPropertyName("personId")] string? PersonId,
    [property: System.Text.Json.Serialization.JsonPropertyName("sequenceId")] string? SequenceId,
    [property: System.Text.Json.Serialization.JsonPropertyName("sequenceTemplateId")] string? SequenceTemplateId,
    [property: System.Text.Json.Serialization.JsonPropertyName("messageId")] string? MessageId,
    [property: System.Text.Json.Serialization.JsonPropertyName("hotLeadId")] string? HotLeadId,
    [property: System.Text.Json.Serialization.JsonPropertyName("calendarEventId")] string? CalendarEventId,
    [property: System.Text.Json.Serialization.JsonPropertyName("taskId")] string? TaskId,
    [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type);

public sealed record TopoActivity(string Id, DateTimeOffset CreatedAt, TopoPayload Payload)
{
    public static TopoActivity From(Activity activity)
    {
        using var metadata = JsonDocument.Parse(activity.Metadata);
        var root = metadata.RootElement;
        string? Member(string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                }
                : null;

        return new TopoActivity(activity.Id, activity.CreatedAt, new TopoPayload(
            Member("organization_id"), activity.ContactId, Member("sequence_id"), Member("sequence_template_id"),
            Member("message_id"), Member("hot_lead_id"), Member("calendar_event_id"), Member("task_id"), activity.Type));
    }
}

public sealed record TopoList(IReadOnlyList<TopoActivity> Items, long TotalCount, int TotalPages, bool HasMore);
