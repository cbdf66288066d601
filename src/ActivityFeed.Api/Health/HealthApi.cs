using ActivityFeed.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActivityFeed.Api.Health;

public sealed record HealthResponse(string Status);

public static class HealthApi
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddActivityFeedHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<ActivityFeedDb>("database", tags: [ReadyTag]);
        return services;
    }

    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", Live).WithName(nameof(Live))
            .WithSummary("Liveness").WithDescription("200 while the process serves requests; checks nothing else.");
        group.MapGet("/ready", Ready).WithName(nameof(Ready))
            .WithSummary("Readiness").WithDescription("200 when the database answers, 503 otherwise.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    public static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse("healthy"));

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(new HealthResponse("healthy"))
            : TypedResults.Json(new HealthResponse("unhealthy"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
