namespace ActivityFeed.Api.Directory;

// Embedded objects on write: an object upserts its directory entry (fields left out or null keep
// their stored value) in the same transaction as the activity; an *_id alone only refers to it.

public sealed record ActorInput(string? Id, string? Name = null, string? Email = null, string? Avatar = null, DateTimeOffset? SeenAt = null) : IUserFields;

public sealed record AssistantInput(string? Id, string? Name = null, string? AvatarUrl = null) : IAssistantFields;

public sealed record SegmentInput(string? Id, string? Name = null, string? Color = null, int? ContactsCount = null, IReadOnlyList<SegmentBoard>? Boards = null) : ISegmentFields;

public sealed record BroadcastInput(string? Id, string? Name = null) : INamedFields;

public sealed record NoteUserInput(string? Id, string? Name = null, string? Avatar = null) : IUserFields
{
    string? IUserFields.Email => null;
}

/// <summary>
/// The directory entries one write names, as its embedded objects give them: what
/// <see cref="DirectoryUpserts"/> stores. The writer of each feature builds these from its own request shape.
/// </summary>
public sealed record EntryMentions(
    ActorInput? Actor = null, NoteUserInput? NoteUser = null, AssistantInput? Assistant = null, SegmentInput? Segment = null, BroadcastInput? Broadcast = null);
