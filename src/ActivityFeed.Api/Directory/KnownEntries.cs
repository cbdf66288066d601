namespace ActivityFeed.Api.Directory;

/// <summary>
/// Directory entries by id: as a write read and stored them (the upserts' RETURNING rows), so the
/// write's response is enriched without reading them again.
/// </summary>
public sealed record KnownEntries(
    IReadOnlyDictionary<string, ActorObject> Users,
    IReadOnlyDictionary<string, AssistantObject> Assistants,
    IReadOnlyDictionary<string, SegmentObject> Segments,
    IReadOnlyDictionary<string, BroadcastObject> Broadcasts)
{
    public static readonly KnownEntries None = new(
        new Dictionary<string, ActorObject>(), new Dictionary<string, AssistantObject>(),
        new Dictionary<string, SegmentObject>(), new Dictionary<string, BroadcastObject>());

    /// <summary>The entries a row refers to; null for an id with no entry here.</summary>
    public EmbeddedEntries For(EmbeddedIds row) => new(
        Find(Users, row.ActorId),
        Find(Assistants, row.AssistantId),
        Find(Segments, row.SegmentId),
        Find(Broadcasts, row.BroadcastId),
        Find(Users, row.NoteUserId) is { } noteUser ? new NoteUserObject(noteUser.Id, noteUser.Name, noteUser.Avatar) : null);

    private static T? Find<T>(IReadOnlyDictionary<string, T> entries, string? id) where T : class =>
        id is not null && entries.TryGetValue(id, out var entry) ? entry : null;
}
