using System.Diagnostics;

namespace ActivityFeed.Api.Infrastructure.Errors;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddActivityFeedProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            // The contract names it trace_id; the framework's default camel-cased copy would be a second name for it.
            problem.Extensions.Remove("traceId");
            problem.Extensions["trace_id"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            problem.Detail ??= problem.Title;
        });
        services.AddExceptionHandler<ExceptionProblemHandler>();
        return services;
    }
}
