using ActivityFeed.Api.Data;
using ActivityFeed.Api.Directory;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// Responses for activities read or written without their directory joins: a write's rows, from
/// the entries the write read and stored, and a patched row, its entries read in one round trip.
/// </summary>
public static class ActivityResponses
{
    /// <summary>The response of one activity, its directory entries read now (one round trip).</summary>
    public static async Task<ActivityResponse> EnrichedAsync(ActivityFeedDb db, string orgId, Activity activity, CancellationToken cancellationToken) =>
        WithEntries([activity], await DirectoryUpserts.ReadAsync(db, orgId, [ActivityMapping.EmbeddedIdsOf(activity)], cancellationToken))[0];

    /// <summary>The responses of activities whose entries the caller already has (a write that read and stored them).</summary>
    public static IReadOnlyList<ActivityResponse> WithEntries(IReadOnlyList<Activity> activities, KnownEntries entries) =>
        [.. activities.Select(activity => ActivityMapping.ToResponse(new ActivityRow { Activity = activity, Embedded = entries.For(ActivityMapping.EmbeddedIdsOf(activity)) }))];
}
