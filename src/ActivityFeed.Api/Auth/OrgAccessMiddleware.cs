using ActivityFeed.Api.Infrastructure.Errors;

namespace ActivityFeed.Api.Auth;

/// <summary>
/// Runs after authentication and before the body is read: another org's path is a 404 that reads
/// exactly like an org that does not exist (so org ids cannot be probed), then a missing scope is a 403.
/// </summary>
public sealed class OrgAccessMiddleware(RequestDelegate next)
{
    public const string OrgRouteParameter = "org_id";

    public Task InvokeAsync(HttpContext context)
    {
        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>();
        if (required is null || context.User.Identity?.IsAuthenticated != true)
        {
            return next(context);
        }

        if (context.Request.RouteValues.TryGetValue(OrgRouteParameter, out var value)
            && value is string pathOrg
            && !string.Equals(pathOrg, context.User.GetOrgId(), StringComparison.Ordinal))
        {
            return Problems.WriteAsync(context, StatusCodes.Status404NotFound, Problems.OrgNotFoundDetail(pathOrg));
        }

        if (!context.User.HasScope(required.Scope))
        {
            return Problems.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"The token lacks the '{required.Scope}' scope this endpoint needs.");
        }

        return next(context);
    }
}
