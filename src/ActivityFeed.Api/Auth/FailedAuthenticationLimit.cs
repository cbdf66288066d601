using System.Globalization;
using System.Threading.RateLimiting;
using ActivityFeed.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Authorization;

namespace ActivityFeed.Api.Auth;

/// <summary>
/// A token bucket per client address that only failed authentication draws from (a rejected token,
/// or a 401 for none). The per-token limit cannot see these requests, and each bad token costs a
/// database lookup; an address whose bucket is empty gets 429 before the lookup, on every request
/// that carries a token or needs one, until the bucket refills. The address is the connection's:
/// behind a proxy, forward the client's (ForwardedHeaders) or the proxy is one address.
/// </summary>
public sealed class FailedAuthenticationLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets;

    public FailedAuthenticationLimit(RateLimitOptions options, bool enabled)
    {
        Enabled = enabled;
        PerMinute = Math.Max(1, options.FailedAuthPerMinute);
        _buckets = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.FailedAuthBurst),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / PerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public bool Enabled { get; }

    public int PerMinute { get; }

    /// <returns>False with how long to wait when the address has no failures left.</returns>
    public bool HasFailuresLeft(string address, out TimeSpan retryAfter)
    {
        // The statistics, not AttemptAcquire(0): a zero-permit acquire succeeds even from an empty bucket.
        retryAfter = TimeSpan.FromMinutes(1) / PerMinute;
        return _buckets.GetStatistics(address) is not { CurrentAvailablePermits: <= 0 };
    }

    public void RecordFailure(string address)
    {
        using var _ = _buckets.AttemptAcquire(address);
    }

    public void Dispose() => _buckets.Dispose();
}

/// <summary>Runs ahead of authentication, so a refused address costs no token lookup. Failures are recorded by the bearer handler as it decides them.</summary>
public sealed class FailedAuthenticationLimitMiddleware(RequestDelegate next, FailedAuthenticationLimit limit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!limit.Enabled)
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var needsToken = context.Request.Headers.Authorization.Count > 0
                         || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null;
        if (needsToken && !limit.HasFailuresLeft(address, out var wait))
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                $"Too many failed authentications from this address (more than {limit.PerMinute} a minute); retry after {retryAfter} s.");
            return;
        }

        await next(context);
    }
}
