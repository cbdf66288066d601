using ActivityFeed.Api.Data;

namespace ActivityFeed.Api.Auth;

/// <summary>
/// Right after authentication: the rest of the request works in the token's org, so each of its
/// queries reaches PostgreSQL with that org set and row-level security shows no other org's rows,
/// whatever the query's own filter says.
/// </summary>
public sealed class OrgScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.GetOrgId() is { Length: > 0 } orgId)
        {
            using (OrgScope.Enter(orgId))
            {
                await next(context);
            }

            return;
        }

        await next(context);
    }
}
