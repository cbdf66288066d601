using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace ActivityFeed.Api.Activities.Types;

// The typed metadata of the built-in activity types. These records are the single source of the
// OpenAPI variants of `metadata` and of the JSON Schemas that written metadata is checked against.
// Extra members are allowed (the sources say their payloads grow over time); declared ones are typed.

[Description("No fields are documented for this type; any object is accepted.")]
public sealed record EmptyMetadata;

[Description("What changed on the contact (Invent contact_updated).")]
public sealed record ContactUpdatedMetadata([property: Required] IReadOnlyList<FieldChange> Changes);

public sealed record FieldChange([property: Required] string Key, JsonElement? OldValue = null, JsonElement? NewValue = null);

[Description("An email that was sent (Salesloft sent_email).")]
public sealed record SentEmailMetadata(string? Subject = null, string? Status = null, EmailCounts? Counts = null);

public sealed record EmailCounts(
    [property: Range(0, int.MaxValue)] int? Views = null,
    [property: Range(0, int.MaxValue)] int? Replies = null,
    [property: Range(0, int.MaxValue)] int? Clicks = null);

[Description("An opportunity moved between stages (Salesloft opportunity_stage_change).")]
public sealed record OpportunityStageChangeMetadata([property: Required] string From, [property: Required] string To);

[Description("An opportunity's amount changed (Salesloft opportunity_amount_change).")]
public sealed record OpportunityAmountChangeMetadata(decimal? From = null, decimal? To = null);

[Description("An opportunity's close date changed (Salesloft opportunity_close_date_change); dates as YYYY-MM-DD.")]
public sealed record OpportunityCloseDateChangeMetadata(
    [property: RegularExpression(@"^\d{4}-\d{2}-\d{2}$")] string? From = null,
    [property: RegularExpression(@"^\d{4}-\d{2}-\d{2}$")] string? To = null);

[Description("The resources a sequencing event refers to (Topo `<resource>.<event>` payload).")]
public sealed record SequenceEventMetadata(
    string? PersonId = null,
    string? SequenceId = null,
    string? SequenceTemplateId = null,
    string? MessageId = null,
    string? HotLeadId = null,
    string? CalendarEventId = null,
    string? TaskId = null);
