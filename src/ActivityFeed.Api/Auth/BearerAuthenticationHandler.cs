using System.Security.Claims;
using System.Text.Encodings.Web;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ActivityFeed.Api.Auth;

public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ActivityFeedDb db,
    TimeProvider clock,
    ApiKeyCache apiKeys,
    FailedAuthenticationLimit failedAuthentications)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    // Per request, not per handler: the challenge may run on another instance than the authentication.
    private static readonly object FailureRecorded = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await AuthenticateBearerAsync();
        if (result.Failure is not null && failedAuthentications.Enabled)
        {
            // Counted here, before any answer is written, so the client's next attempt sees it.
            RecordFailureOnce();
        }

        return result;
    }

    private void RecordFailureOnce()
    {
        if (Context.Items.TryAdd(FailureRecorded, true))
        {
            failedAuthentications.RecordFailure(ClientAddress);
        }
    }

    private string ClientAddress => Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private async Task<AuthenticateResult> AuthenticateBearerAsync()
    {
        string? header = Request.Headers.Authorization;
        string token;
        if (!string.IsNullOrEmpty(header))
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("The Authorization header must use the Bearer scheme.");
            }

            token = header["Bearer ".Length..].Trim();
        }
        else if (QueryToken() is { } fromQuery)
        {
            token = fromQuery;
        }
        else
        {
            return AuthenticateResult.NoResult();
        }

        if (Tokens.TryReadOrg(token, Tokens.UserTokenPrefix, out var userTokenOrg))
        {
            return await AuthenticateUserTokenAsync(userTokenOrg, token);
        }

        if (!Tokens.TryReadOrg(token, Tokens.ApiKeyPrefix, out var orgId))
        {
            return AuthenticateResult.Fail("The token is not valid.");
        }

        // The token names its org, so even the key's own lookup runs inside it.
        using var orgScope = OrgScope.Enter(orgId);
        var hash = Tokens.Hash(token);
        var key = apiKeys.Find(orgId, hash);
        if (key is null)
        {
            // Read before the lookup, so a revocation that lands during it makes this entry stale.
            var generation = apiKeys.Generation(orgId);
            var row = await db.ApiKeys.AsNoTracking()
                .Where(k => k.OrgId == orgId && k.SecretHash == hash && k.RevokedAt == null)
                .Select(k => new { k.Id, k.Scopes, k.LastUsedAt })
                .SingleOrDefaultAsync(Context.RequestAborted);
            if (row is null)
            {
                return AuthenticateResult.Fail("The token is unknown or revoked.");
            }

            key = new ApiKeyCache.Entry(orgId, row.Id, row.Scopes, generation, row.LastUsedAt);
            apiKeys.Remember(hash, key);
        }

        var now = clock.GetUtcNow();
        if (key.ClaimLastUsedWrite(now))
        {
            // Conditional, so several processes within the same minute write it once between them.
            var stale = now - ApiKeyCache.LastUsedResolution;
            await db.ApiKeys.Where(k => k.OrgId == orgId && k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt < stale))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        var claims = new List<Claim>(key.Scopes.Length + 2) { new(AuthClaims.OrgId, orgId), new(AuthClaims.KeyId, key.Id) };
        claims.AddRange(key.Scopes.Select(scope => new Claim(AuthClaims.Scope, scope)));
        return Success(claims);
    }

    /// <summary>A user token reads the org's feeds (<c>activities:read</c>) and its own user's inbox; nothing else.</summary>
    private async Task<AuthenticateResult> AuthenticateUserTokenAsync(string orgId, string token)
    {
        using var orgScope = OrgScope.Enter(orgId);
        var hash = Tokens.Hash(token);
        var now = clock.GetUtcNow();
        var userToken = await db.UserTokens.AsNoTracking()
            .Where(t => t.OrgId == orgId && t.SecretHash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Select(t => new { t.Id, t.UserId })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (userToken is null)
        {
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }

        return Success(
        [
            new(AuthClaims.OrgId, orgId), new(AuthClaims.KeyId, userToken.Id), new(AuthClaims.UserId, userToken.UserId),
            new(AuthClaims.Scope, Scopes.ActivitiesRead),
        ]);
    }

    private static AuthenticateResult Success(IEnumerable<Claim> claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    /// <summary>On endpoints that allow it, <c>?access_token=</c> stands in for the header.</summary>
    private string? QueryToken() =>
        Context.GetEndpoint()?.Metadata.GetMetadata<AccessTokenInQuery>() is not null
        && Request.Query.TryGetValue(AccessTokenInQuery.Parameter, out var values) && values is [{ Length: > 0 } value]
            ? value
            : null;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (failedAuthentications.Enabled)
        {
            RecordFailureOnce(); // no token where one is needed counts too
        }

        var hadToken = Request.Headers.ContainsKey(HeaderNames.Authorization) || QueryToken() is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = hadToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            hadToken
                ? "The bearer token is missing, malformed, unknown, revoked or expired."
                : "This endpoint needs an 'Authorization: Bearer <token>' header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "The token lacks the scope this endpoint needs.");
}
