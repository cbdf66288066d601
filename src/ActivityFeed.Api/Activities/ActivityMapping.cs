using System.Text.Json;
using ActivityFeed.Api.Directory;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Json;

namespace ActivityFeed.Api.Activities;

/// <summary>The note as stored in its jsonb column: the user by id, enriched on the way out.</summary>
public sealed record StoredNote(string Id, string? Content, IReadOnlyList<FileObject> Attachments, string? UserId);

/// <summary>Request → row and row → response. The jsonb columns hold snake_case JSON of these records.</summary>
public static class ActivityMapping
{
    private static readonly JsonSerializerOptions Json = JsonSetup.Options;
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static Activity ToEntity(string orgId, CreateActivityRequest request, DateTimeOffset now, DescriptionSanitizer sanitizer, byte[] requestHash)
    {
        var attachments = request.Attachments?.Select(f => WithDefaults(f, now)).ToList();
        var note = request.Note is { } n
            ? new StoredNote(n.Id ?? Ids.New("note"), n.Content, n.Attachments?.Select(f => WithDefaults(f, now)).ToList() ?? [], n.UserId ?? n.User?.Id)
            : null;
        return new Activity
        {
            OrgId = orgId,
            Id = Ids.New("act"),
            Type = request.Type!,
            OccurredAt = request.OccurredAt ?? now,
            CreatedAt = now,
            UpdatedAt = now,
            ActorId = request.ActorId ?? request.Actor?.Id,
            AssistantId = request.AssistantId ?? request.Assistant?.Id,
            ContactId = request.ContactId,
            VisitorId = request.VisitorId,
            CustomerId = request.CustomerId,
            TableId = request.TableId,
            RecordId = request.RecordId,
            SegmentId = request.SegmentId ?? request.Segment?.Id,
            BroadcastId = request.BroadcastId ?? request.Broadcast?.Id,
            RelationType = request.Relation?.Type,
            RelationId = request.Relation?.Id,
            Title = request.Title,
            Description = request.Description,
            FormattedDescription = request.FormattedDescription is { } html ? sanitizer.Sanitize(html) : null,
            Comment = request.Comment,
            Note = note is null ? null : JsonSerializer.Serialize(note, Json),
            File = request.File is { } file ? JsonSerializer.Serialize(WithDefaults(file, now), Json) : null,
            Attachments = attachments is null ? null : JsonSerializer.Serialize(attachments, Json),
            Tags = request.Tags?.Distinct(StringComparer.Ordinal).ToArray() ?? [],
            PinnedAt = request.Pinned == true ? now : request.PinnedAt,
            Channel = request.Channel,
            Recipients = request.Recipients?.Distinct(StringComparer.Ordinal).ToArray() ?? [],
            ExternalId = request.ExternalId,
            Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata.GetRawText() : "{}",
            RequestHash = requestHash,
        };
    }

    public static ActivityResponse ToResponse(Activity a) => ToResponse(new ActivityRow { Activity = a });

    /// <summary>The directory entries the row refers to, for rows read without their joins.</summary>
    public static EmbeddedIds EmbeddedIdsOf(Activity a) => new(a.ActorId, a.AssistantId, a.SegmentId, a.BroadcastId,
        a.Note is null ? null : JsonSerializer.Deserialize<StoredNote>(a.Note, Json)?.UserId);

    /// <summary>The directory entries a create names by embedded object, for the directory to store.</summary>
    public static EntryMentions MentionsOf(CreateActivityRequest r) => new(r.Actor, r.Note?.User, r.Assistant, r.Segment, r.Broadcast);

    /// <summary>A row as the response; the directory entries it carries fill the embedded objects.</summary>
    public static ActivityResponse ToResponse(ActivityRow row)
    {
        var a = row.Activity;
        var note = a.Note is null ? null : JsonSerializer.Deserialize<StoredNote>(a.Note, Json);
        return new ActivityResponse(
            a.Id, a.Type, a.OccurredAt, a.CreatedAt, a.UpdatedAt,
            a.ActorId is null ? null : row.Embedded.Actor ?? new ActorObject(a.ActorId),
            a.AssistantId is null ? null : row.Embedded.Assistant ?? new AssistantObject(a.AssistantId),
            a.ContactId, a.VisitorId, a.CustomerId, a.TableId, a.RecordId,
            a.SegmentId is null ? null : row.Embedded.Segment ?? new SegmentObject(a.SegmentId),
            a.BroadcastId is null ? null : row.Embedded.Broadcast ?? new BroadcastObject(a.BroadcastId),
            a.RelationType is null ? null : new Relation(a.RelationType, a.RelationId),
            a.Title, a.Description, a.FormattedDescription, a.Comment,
            note is null ? null : new NoteObject(note.Id, note.Content, a.ContactId, note.Attachments,
                note.UserId is null ? null : row.Embedded.NoteUser ?? new NoteUserObject(note.UserId), a.CreatedAt, a.UpdatedAt),
            a.Attachments is null ? [] : JsonSerializer.Deserialize<List<FileObject>>(a.Attachments, Json) ?? [],
            a.File is null ? null : JsonSerializer.Deserialize<FileObject>(a.File, Json),
            a.Tags, a.PinnedAt, a.Channel, a.Recipients, a.ExternalId,
            a.Metadata == "{}" ? EmptyObject : JsonDocument.Parse(a.Metadata).RootElement.Clone());
    }

    /// <summary>
    /// The row a response was made from, as far as the feed filters look at it: to match a deleted
    /// activity's last state (stored as its response) against filters.
    /// </summary>
    public static Activity ToFilterable(string orgId, ActivityResponse r) => new()
    {
        OrgId = orgId,
        Id = r.Id,
        Type = r.Type,
        OccurredAt = r.OccurredAt,
        CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt,
        ActorId = r.Actor?.Id,
        AssistantId = r.Assistant?.Id,
        ContactId = r.ContactId,
        VisitorId = r.VisitorId,
        CustomerId = r.CustomerId,
        TableId = r.TableId,
        RecordId = r.RecordId,
        SegmentId = r.Segment?.Id,
        BroadcastId = r.Broadcast?.Id,
        RelationType = r.Relation?.Type,
        RelationId = r.Relation?.Id,
        Tags = [.. r.Tags],
        PinnedAt = r.PinnedAt,
        Channel = r.Channel,
        Recipients = [.. r.Recipients],
        ExternalId = r.ExternalId,
        Metadata = r.Metadata.ValueKind == JsonValueKind.Object ? r.Metadata.GetRawText() : "{}",
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    private static FileObject WithDefaults(FileObject file, DateTimeOffset now) =>
        file with { Id = file.Id ?? Ids.New("file"), CreatedAt = file.CreatedAt ?? now };
}
