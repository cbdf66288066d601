using ActivityFeed.Api.Directory;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// Responses for activities read or written without their directory joins (a write's rows, a
/// patched row, inbox items): their entries read in one query per kind, not one per row.
/// </summary>
public static class ActivityResponses
{
    /// <param name="known">Entries the caller just stored, so they are not read back.</param>
    public static async Task<IReadOnlyList<ActivityResponse>> EnrichedAsync(
        DirectoryEnricher directory, string orgId, IReadOnlyList<Activity> activities, KnownEntries known, CancellationToken cancellationToken)
    {
        var entries = await directory.ReadAsync(orgId, [.. activities.Select(ActivityMapping.EmbeddedIdsOf)], known, cancellationToken);
        return [.. activities.Select((activity, i) => ActivityMapping.ToResponse(new ActivityRow { Activity = activity, Embedded = entries[i] }))];
    }

    public static async Task<ActivityResponse> EnrichedAsync(DirectoryEnricher directory, string orgId, Activity activity, CancellationToken cancellationToken) =>
        (await EnrichedAsync(directory, orgId, [activity], KnownEntries.None, cancellationToken))[0];
}
