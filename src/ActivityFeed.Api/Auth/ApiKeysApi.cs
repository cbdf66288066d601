using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using ActivityFeed.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Auth;

public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}/api-keys")
            .WithTags("API keys")
            .RequireScope(Scopes.Admin)
            .WithValidation();

        group.MapPost("/", CreateApiKey).WithName(nameof(CreateApiKey))
            .WithSummary("Create an API key")
            .WithDescription("Returns the secret `key` once; only its hash is stored. Needs the `admin` scope.");
        group.MapGet("/", ListApiKeys).WithName(nameof(ListApiKeys))
            .WithSummary("List the org's API keys")
            .WithDescription("Oldest first, revoked keys included (with `revoked_at`); never returns secrets. Needs the `admin` scope.")
            .WithQueryParameters(QueryParameter.Paging);
        group.MapGet("/{key_id}", GetApiKey).WithName(nameof(GetApiKey))
            .WithSummary("Get one API key").WithDescription("Needs the `admin` scope.");
        group.MapDelete("/{key_id}", RevokeApiKey).WithName(nameof(RevokeApiKey))
            .WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once and stays listed with `revoked_at`. Revoking twice is a no-op. Needs the `admin` scope.");
        return group;
    }

    public static async Task<Created<CreatedApiKeyResponse>> CreateApiKey(
        [FromRoute(Name = "org_id")] string orgId, CreateApiKeyRequest request, ActivityFeedDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (key, secret) = ApiKeyIssuer.Issue(orgId, request.Name!, request.Scopes!, Timestamps.Truncate(clock.GetUtcNow()));
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/orgs/{Uri.EscapeDataString(orgId)}/api-keys/{key.Id}",
            new CreatedApiKeyResponse(key.Id, key.Name, key.Scopes, secret, key.CreatedAt));
    }

    public static async Task<Results<Ok<ListEnvelope<ApiKeyResponse>>, ValidationProblem>> ListApiKeys(
        [FromRoute(Name = "org_id")] string orgId, HttpContext http, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        if (IdOrderedListRequest.Parse(http, "key", out var problem) is not { } list)
        {
            return problem!;
        }

        var keys = db.ApiKeys.AsNoTracking().Where(k => k.OrgId == orgId);
        var rows = await list.Window(keys, k => k.Id)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Scopes, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
        long? total = list.Page.IncludeTotal ? await keys.LongCountAsync(cancellationToken) : null;
        return TypedResults.Ok(list.Envelope(http, rows, k => k.Id, total));
    }

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetApiKey(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "key_id")] string keyId, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.OrgId == orgId && k.Id == keyId)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Scopes, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .SingleOrDefaultAsync(cancellationToken);
        return key is null ? KeyNotFound(keyId) : TypedResults.Ok(key);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "key_id")] string keyId, ActivityFeedDb db, ApiKeyCache keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var matched = await db.ApiKeys
            .Where(k => k.OrgId == orgId && k.Id == keyId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, k => k.RevokedAt ?? now), cancellationToken);
        keys.ForgetOrg(orgId); // after the commit: a lookup racing it reads the old generation and is not kept
        return matched == 0 ? KeyNotFound(keyId) : TypedResults.NoContent();
    }

    private static ProblemHttpResult KeyNotFound(string keyId) =>
        TypedResults.Problem(detail: $"No API key '{keyId}' in this org.", statusCode: StatusCodes.Status404NotFound);
}
