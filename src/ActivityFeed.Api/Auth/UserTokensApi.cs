using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using ActivityFeed.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Auth;

public static class UserTokensApi
{
    public static RouteGroupBuilder MapUserTokens(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}/users/{user_id}/tokens")
            .WithTags("User tokens")
            .RequireScope(Scopes.Admin)
            .WithValidation();

        group.MapPost("/", CreateUserToken).WithName(nameof(CreateUserToken))
            .WithSummary("Mint a token for one user")
            .WithDescription("For frontends that call the API as one user of the org: the token reads the org's feeds and that user's own inbox (`me`). `expires_in` (seconds, default 3600, at most 30 days) or `expires_at`. Returns the secret `token` once; only its hash is stored. The user need not be in the directory. Needs the `admin` scope.");
        group.MapGet("/", ListUserTokens).WithName(nameof(ListUserTokens))
            .WithSummary("List a user's tokens")
            .WithDescription("Oldest first, expired and revoked tokens included; never returns secrets. Needs the `admin` scope.")
            .WithQueryParameters(QueryParameter.Paging);
        group.MapGet("/{token_id}", GetUserToken).WithName(nameof(GetUserToken))
            .WithSummary("Get one user token").WithDescription("Needs the `admin` scope.");
        group.MapDelete("/{token_id}", RevokeUserToken).WithName(nameof(RevokeUserToken))
            .WithSummary("Revoke a user token")
            .WithDescription("The token stops working at once (401) and stays listed with `revoked_at`. Revoking twice is a no-op. Needs the `admin` scope.");
        return group;
    }

    public static async Task<Results<Created<CreatedUserTokenResponse>, ValidationProblem>> CreateUserToken(
        [FromRoute(Name = "org_id")] string orgId,
        [FromRoute(Name = "user_id")] string userId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CreateUserTokenRequest? request,
        ActivityFeedDb db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!ClientIds.IsValid(userId))
        {
            return InvalidUserId();
        }

        var now = Timestamps.Truncate(clock.GetUtcNow());
        var secret = Tokens.NewUserToken(orgId);
        var token = new UserToken
        {
            OrgId = orgId,
            Id = Ids.New("utk"),
            UserId = userId,
            SecretHash = Tokens.Hash(secret),
            CreatedAt = now,
            ExpiresAt = (request ?? new CreateUserTokenRequest()).ExpiryFrom(now),
        };
        db.UserTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created(TokenLocation(orgId, userId, token.Id), new CreatedUserTokenResponse(token.Id, secret, userId, token.ExpiresAt));
    }

    public static async Task<Results<Ok<ListEnvelope<UserTokenResponse>>, ValidationProblem>> ListUserTokens(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, HttpContext http, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        if (!ClientIds.IsValid(userId))
        {
            return InvalidUserId();
        }

        if (IdOrderedListRequest.Parse(http, "user_token", out var problem) is not { } list)
        {
            return problem!;
        }

        var tokens = db.UserTokens.AsNoTracking().Where(t => t.OrgId == orgId && t.UserId == userId);
        var rows = await list.Window(tokens, t => t.Id)
            .Select(t => new UserTokenResponse(t.Id, t.UserId, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .ToListAsync(cancellationToken);
        long? total = list.Page.IncludeTotal ? await tokens.LongCountAsync(cancellationToken) : null;
        return TypedResults.Ok(list.Envelope(http, rows, t => t.Id, total));
    }

    public static async Task<Results<Ok<UserTokenResponse>, ProblemHttpResult>> GetUserToken(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "token_id")] string tokenId,
        ActivityFeedDb db, CancellationToken cancellationToken)
    {
        var token = await db.UserTokens.AsNoTracking()
            .Where(t => t.OrgId == orgId && t.UserId == userId && t.Id == tokenId)
            .Select(t => new UserTokenResponse(t.Id, t.UserId, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .SingleOrDefaultAsync(cancellationToken);
        return token is null ? TokenNotFound(userId, tokenId) : TypedResults.Ok(token);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeUserToken(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "token_id")] string tokenId,
        ActivityFeedDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var matched = await db.UserTokens
            .Where(t => t.OrgId == orgId && t.UserId == userId && t.Id == tokenId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, t => t.RevokedAt ?? now), cancellationToken);
        return matched == 0 ? TokenNotFound(userId, tokenId) : TypedResults.NoContent();
    }

    private static string TokenLocation(string orgId, string userId, string tokenId) =>
        $"/orgs/{Uri.EscapeDataString(orgId)}/users/{Uri.EscapeDataString(userId)}/tokens/{tokenId}";

    private static ValidationProblem InvalidUserId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user_id"] = ["user_id " + ClientIds.Rule] },
            detail: "The user id in the path is invalid.");

    private static ProblemHttpResult TokenNotFound(string userId, string tokenId) =>
        TypedResults.Problem(detail: $"No token '{tokenId}' of user '{userId}' in this org.", statusCode: StatusCodes.Status404NotFound);
}
