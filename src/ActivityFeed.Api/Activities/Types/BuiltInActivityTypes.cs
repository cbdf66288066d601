using System.Collections.Frozen;

namespace ActivityFeed.Api.Activities.Types;

public sealed record BuiltInActivityType(string Name, string Source, string Description, Type MetadataType);

/// <summary>Every activity type the source APIs name, with its metadata record.</summary>
public static class BuiltInActivityTypes
{
    private static readonly BuiltInActivityType[] Catalogue =
    [
        .. Invent(),
        .. Salesloft(),
        .. SequenceEvents(),
    ];

    public static readonly FrozenDictionary<string, BuiltInActivityType> ByName =
        Catalogue.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static IReadOnlyList<BuiltInActivityType> All => Catalogue;

    private static IEnumerable<BuiltInActivityType> Invent()
    {
        const string source = "invent";
        yield return new("comment_created", source, "A comment was posted; its body is `comment`, its files `attachments`.", typeof(EmptyMetadata));
        yield return new("note_created", source, "A note was added; see `note`.", typeof(EmptyMetadata));
        yield return new("file_uploaded", source, "A file was uploaded; see `file`.", typeof(EmptyMetadata));
        yield return new("segment_added", source, "The contact was added to `segment`.", typeof(EmptyMetadata));
        yield return new("segment_removed", source, "The contact was removed from `segment`.", typeof(EmptyMetadata));
        yield return new("contact_blocked", source, "The contact was blocked.", typeof(EmptyMetadata));
        yield return new("contact_unblocked", source, "The contact was unblocked.", typeof(EmptyMetadata));
        yield return new("contact_unsubscribed", source, "The contact unsubscribed.", typeof(EmptyMetadata));
        yield return new("contact_resubscribed", source, "The contact resubscribed.", typeof(EmptyMetadata));
        yield return new("contact_updated", source, "Fields of the contact changed; `metadata.changes` lists them.", typeof(ContactUpdatedMetadata));
    }

    private static IEnumerable<BuiltInActivityType> Salesloft()
    {
        const string source = "salesloft";
        var typed = new Dictionary<string, (string Description, Type Metadata)>
        {
            ["sent_email"] = ("An email was sent; subject, status and engagement counts.", typeof(SentEmailMetadata)),
            ["opportunity_stage_change"] = ("An opportunity changed stage.", typeof(OpportunityStageChangeMetadata)),
            ["opportunity_amount_change"] = ("An opportunity's amount changed.", typeof(OpportunityAmountChangeMetadata)),
            ["opportunity_close_date_change"] = ("An opportunity's close date changed.", typeof(OpportunityCloseDateChangeMetadata)),
        };
        string[] names =
        [
            "added_to_cadence", "account_added_to_cadence", "call", "completed_action", "dnc_event", "email_reply",
            "external_meeting", "live_chat", "meeting", "meeting_held", "message_conversation", "note",
            "opportunity_amount_change", "opportunity_close_date_change", "opportunity_stage_change", "received_email",
            "requested_email", "residency_change", "sent_email", "site_visit", "share_internal_note", "success", "task",
            "voicemail", "review",
        ];
        foreach (var name in names)
        {
            yield return typed.TryGetValue(name, out var t)
                ? new(name, source, t.Description, t.Metadata)
                : new(name, source, $"A Salesloft `{name}` activity.", typeof(EmptyMetadata));
        }
    }

    /// <summary>Topo names events `&lt;resource&gt;.&lt;event&gt;`; these are the pairs its resources and events form.</summary>
    private static IEnumerable<BuiltInActivityType> SequenceEvents()
    {
        var events = new Dictionary<string, string[]>
        {
            ["message"] = ["sent", "replied", "opened", "link_clicked"],
            ["invitation"] = ["sent", "accepted"],
            ["hot_lead"] = ["created"],
            ["meeting"] = ["created"],
            ["sequence_step"] = ["completed", "skipped"],
            ["sequence"] = ["created", "paused", "resumed", "stopped", "completed"],
            ["task"] = ["created", "completed"],
        };
        foreach (var (resource, names) in events)
        {
            foreach (var name in names)
            {
                yield return new($"{resource}.{name}", "topo", $"A {resource.Replace('_', ' ')} was {name.Replace('_', ' ')}.", typeof(SequenceEventMetadata));
            }
        }
    }
}
