namespace ActivityFeed.Api.Auth;

public static class Scopes
{
    public const string ActivitiesRead = "activities:read";
    public const string ActivitiesWrite = "activities:write";

    /// <summary>Manages the org (keys, types, tokens) and implies every other scope.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [ActivitiesRead, ActivitiesWrite, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
