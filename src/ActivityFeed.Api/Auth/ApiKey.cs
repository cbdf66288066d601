namespace ActivityFeed.Api.Auth;

/// <summary>A server-to-server key. Only the SHA-256 of the secret is stored.</summary>
public sealed class ApiKey
{
    public required string OrgId { get; init; }
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string[] Scopes { get; init; }
    public required byte[] SecretHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
