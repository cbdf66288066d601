using System.Security.Claims;

namespace ActivityFeed.Api.Auth;

public static class AuthClaims
{
    public const string OrgId = "org_id";
    public const string KeyId = "key_id";
    public const string Scope = "scope";

    /// <summary>Present on user tokens only: the user whose inbox the token may read.</summary>
    public const string UserId = "user_id";

    public static string? GetOrgId(this ClaimsPrincipal user) => user.FindFirstValue(OrgId);

    public static string? GetUserId(this ClaimsPrincipal user) => user.FindFirstValue(UserId);

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.HasClaim(Scope, scope) || user.HasClaim(Scope, Scopes.Admin);
}
