using ActivityFeed.Api.Infrastructure.Errors;

namespace ActivityFeed.Api.Auth;

/// <summary>Endpoint metadata: the scope a token needs, checked after its org (see <see cref="OrgAccessMiddleware"/>).</summary>
public sealed record RequiredScope(string Scope);

public static class RequiredScopeExtensions
{
    /// <summary>Authenticated callers of the path's org holding <paramref name="scope"/> only.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.WithMetadata(new RequiredScope(scope));
        builder.ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        return builder;
    }
}
