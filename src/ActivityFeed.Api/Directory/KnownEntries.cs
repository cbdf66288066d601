namespace ActivityFeed.Api.Directory;

/// <summary>
/// Directory entries as a write just stored them (the upserts' RETURNING rows), so the write's
/// response is enriched without reading them back.
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
}
