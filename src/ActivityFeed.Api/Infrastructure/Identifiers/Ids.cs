namespace ActivityFeed.Api.Infrastructure.Identifiers;

/// <summary>Server-generated ids: a prefix and a ULID, so they sort by creation time.</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}_{Ulid.NewUlid()}";
}
