using ActivityFeed.Api.Infrastructure.Identifiers;
namespace ActivityFeed.Api.Auth;

public static class ApiKeyIssuer
{
    /// <summary>A new key row and its secret; the caller shows the secret once and stores only the row.</summary>
    public static (ApiKey Key, string Secret) Issue(string orgId, string name, IEnumerable<string> scopes, DateTimeOffset now)
    {
        var secret = Tokens.NewApiKey(orgId);
        var key = new ApiKey
        {
            OrgId = orgId,
            Id = Ids.New("key"),
            Name = name,
            Scopes = scopes.Distinct(StringComparer.Ordinal).ToArray(),
            SecretHash = Tokens.Hash(secret),
            CreatedAt = now,
        };
        return (key, secret);
    }
}
