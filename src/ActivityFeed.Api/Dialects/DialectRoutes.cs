using ActivityFeed.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ActivityFeed.Api.Dialects;

public static class DialectRoutes
{
    /// <summary>A source's read path group: its OpenAPI tag, <c>activities:read</c> of the token's org, 400s as validation problems.</summary>
    public static RouteGroupBuilder MapSourceGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix).WithTags(tag).RequireScope(Scopes.ActivitiesRead).ProducesValidationProblem();

    public static ValidationProblem InvalidQuery(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "One or more query parameters are invalid; see errors.");
}
