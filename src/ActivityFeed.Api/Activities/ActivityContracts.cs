using System.Text.Json;
using ActivityFeed.Api.Directory;

namespace ActivityFeed.Api.Activities;

public sealed record Relation(string? Type, string? Id);

/// <summary>A file as the sources describe it; on write <c>id</c> and <c>created_at</c> may be left to the server.</summary>
public sealed record FileObject(
    string? Id,
    string? FilePath,
    string? FileFilename,
    long? FileSize,
    string? FileMimetype,
    string? FileUrl,
    DateTimeOffset? CreatedAt);

public sealed record NoteInput(string? Id, string? Content, IReadOnlyList<FileObject>? Attachments, string? UserId, NoteUserInput? User = null);

public sealed record CreateActivityRequest(
    string? Type,
    DateTimeOffset? OccurredAt = null,
    string? ActorId = null,
    string? AssistantId = null,
    string? ContactId = null,
    string? VisitorId = null,
    string? CustomerId = null,
    string? TableId = null,
    string? RecordId = null,
    string? SegmentId = null,
    string? BroadcastId = null,
    Relation? Relation = null,
    string? Title = null,
    string? Description = null,
    string? FormattedDescription = null,
    string? Comment = null,
    NoteInput? Note = null,
    FileObject? File = null,
    IReadOnlyList<FileObject>? Attachments = null,
    IReadOnlyList<string>? Tags = null,
    bool? Pinned = null,
    DateTimeOffset? PinnedAt = null,
    string? Channel = null,
    IReadOnlyList<string>? Recipients = null,
    string? ExternalId = null,
    JsonElement? Metadata = null,
    ActorInput? Actor = null,
    AssistantInput? Assistant = null,
    SegmentInput? Segment = null,
    BroadcastInput? Broadcast = null);

public sealed record CreateActivitiesBatchRequest(IReadOnlyList<CreateActivityRequest>? Activities);

public sealed record NoteObject(
    string Id,
    string? Content,
    string? ContactId,
    IReadOnlyList<FileObject> Attachments,
    NoteUserObject? User,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>An activity as every read returns it. Not sealed: an inbox item is an activity plus its recipient's state.</summary>
public record ActivityResponse(
    string Id,
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ActorObject? Actor,
    AssistantObject? Assistant,
    string? ContactId,
    string? VisitorId,
    string? CustomerId,
    string? TableId,
    string? RecordId,
    SegmentObject? Segment,
    BroadcastObject? Broadcast,
    Relation? Relation,
    string? Title,
    string? Description,
    string? FormattedDescription,
    string? Comment,
    NoteObject? Note,
    IReadOnlyList<FileObject> Attachments,
    FileObject? File,
    IReadOnlyList<string> Tags,
    DateTimeOffset? PinnedAt,
    string? Channel,
    IReadOnlyList<string> Recipients,
    string? ExternalId,
    JsonElement Metadata);

public sealed record ActivityBatchResponse(IReadOnlyList<ActivityResponse> Items);

public sealed record ErasureResponse(int Deleted);
