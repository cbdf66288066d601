using System.Security.Claims;

namespace ActivityFeed.Api.Auth;

public static class AuthClaims
{
    public const string OrgId = "org_id";
    public const string KeyId = "key_id";
    public const string Scope = "scope";

    public static string? GetOrgId(this ClaimsPrincipal user) => user.FindFirstValue(OrgId);

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.HasClaim(Scope, scope) || user.HasClaim(Scope, Scopes.Admin);
}
