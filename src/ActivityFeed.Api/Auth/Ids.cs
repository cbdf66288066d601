namespace ActivityFeed.Api.Auth;

/// <summary>Server-generated ids: a prefix and a ULID, so they sort by creation time.</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}_{Ulid.NewUlid()}";
}
