namespace ActivityFeed.Api.Data.Changes;

public static class ChangeKinds
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
}

/// <summary>
/// One committed change of an activity, at a position that grows by one per event within its org
/// (see <see cref="ChangeLog"/>). Streams and webhooks read this log; NOTIFY only wakes them.
/// </summary>
public sealed class ChangeEvent
{
    public required string OrgId { get; init; }
    public long Position { get; init; }
    public required string Kind { get; init; }
    public required string ActivityId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>For a delete: the activity as it last was (its stored JSON), so filters can still be matched. Null after an erasure.</summary>
    public string? Snapshot { get; init; }
}

/// <summary>Per org: the last position handed out, and the last one the retention sweep removed.</summary>
public sealed class ChangePosition
{
    public required string OrgId { get; init; }
    public long LastPosition { get; init; }
    public long SweptThrough { get; init; }
}
