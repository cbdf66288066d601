using System.Security.Claims;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Infrastructure.Identifiers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ActivityFeed.Api.Inbox;

/// <summary>
/// Whose inbox a path names. A user token sees only its own (by its id or <c>me</c>): any other
/// user's is a 404, exactly like an inbox that is not there. An org key may name any user, not <c>me</c>.
/// Changing state needs the user's own token or a key with <c>activities:write</c>.
/// </summary>
public static class InboxOwner
{
    public const string Me = "me";

    public static ProblemHttpResult? Resolve(ClaimsPrincipal caller, string pathUser, bool changesState, out string userId)
    {
        userId = pathUser;
        if (caller.GetUserId() is { } tokenUser)
        {
            if (pathUser != Me && pathUser != tokenUser)
            {
                return TypedResults.Problem(detail: $"No inbox '{pathUser}' is visible to this token.", statusCode: StatusCodes.Status404NotFound);
            }

            userId = tokenUser;
            return null;
        }

        if (pathUser == Me || !ClientIds.IsValid(pathUser))
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["user_id"] = [pathUser == Me
                    ? "'me' names the user of a user token; with an org API key, name the user."
                    : "user_id " + ClientIds.Rule],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "The user id in the path is invalid.",
            });
        }

        if (changesState && !caller.HasScope(Scopes.ActivitiesWrite))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: "Changing a user's inbox state with an org API key needs the 'activities:write' scope.");
        }

        return null;
    }
}
