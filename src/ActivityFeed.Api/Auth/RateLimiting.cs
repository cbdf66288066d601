using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ActivityFeed.Api.Infrastructure.Errors;

namespace ActivityFeed.Api.Auth;

public sealed class RateLimitOptions
{
    public const string Section = "ActivityFeed:RateLimit";

    /// <summary>Default: on, except in the Development environment.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Sustained requests per second per token.</summary>
    public int PermitsPerSecond { get; set; } = 1000;

    /// <summary>How many requests a token may make at once before the rate applies.</summary>
    public int Burst { get; set; } = 2000;

    /// <summary>Failed authentications per client address per minute, sustained (see <see cref="FailedAuthenticationLimit"/>).</summary>
    public int FailedAuthPerMinute { get; set; } = 60;

    /// <summary>How many failed authentications an address may make at once before the rate applies.</summary>
    public int FailedAuthBurst { get; set; } = 60;
}

/// <summary>
/// A token bucket per API key (ASP.NET Core's rate limiter). Limits are per server process: behind
/// a load balancer of N processes a token gets up to N times the rate.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddActivityFeedRateLimiting(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var enabled = options.Enabled ?? !environment.IsDevelopment();
        services.AddSingleton(_ => new FailedAuthenticationLimit(options, enabled)); // a factory, so the container disposes it
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                enabled && http.User.FindFirstValue(AuthClaims.KeyId) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.Burst,
                        TokensPerPeriod = options.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
            limiter.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"This token made more than {options.PermitsPerSecond} requests a second; retry after {retryAfter} s.");
            };
        });
        return services;
    }
}
