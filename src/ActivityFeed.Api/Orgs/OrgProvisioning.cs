using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Json;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Orgs;

public sealed record ProvisionedOrg(string OrgId, string ApiKey);

/// <summary>Creates an org with its first admin key: the bootstrap verb and the tests share this path.</summary>
public static class OrgProvisioning
{
    public static async Task<ProvisionedOrg?> CreateAsync(ActivityFeedDb db, string name, string? orgId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        orgId ??= Ids.New("org");
        using var orgScope = OrgScope.Enter(orgId); // the new org's rows pass its own policy
        if (await db.Orgs.AnyAsync(o => o.Id == orgId, cancellationToken))
        {
            return null;
        }

        now = Timestamps.Truncate(now);
        db.Orgs.Add(new Org { Id = orgId, Name = name, CreatedAt = now });
        var (key, secret) = ApiKeyIssuer.Issue(orgId, "bootstrap admin key", Scopes.All, now);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new ProvisionedOrg(orgId, secret);
    }
}
