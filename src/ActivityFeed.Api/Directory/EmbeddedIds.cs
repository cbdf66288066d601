namespace ActivityFeed.Api.Directory;

/// <summary>The directory entries a row refers to by id: its actor, assistant, segment, broadcast and note user.</summary>
public readonly record struct EmbeddedIds(string? ActorId, string? AssistantId, string? SegmentId, string? BroadcastId, string? NoteUserId);
