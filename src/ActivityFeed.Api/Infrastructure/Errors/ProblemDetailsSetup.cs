using System.Diagnostics;
using ActivityFeed.Api.Infrastructure.Http;
using Microsoft.Extensions.Options;

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
            if (problem.Status == StatusCodes.Status404NotFound && context.HttpContext.GetEndpoint() is null)
            {
                problem.Detail ??= $"No route matches {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}.";
            }
            else if (problem.Status == StatusCodes.Status413PayloadTooLarge)
            {
                var limit = context.HttpContext.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxRequestBodyBytes;
                problem.Detail = $"The request body is larger than the limit of {limit} bytes.";
            }
            else if (problem.Status == StatusCodes.Status405MethodNotAllowed)
            {
                problem.Detail ??= $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}.";
            }

            problem.Detail ??= problem.Title;
            // The framework has no default type for these; RFC 9457 wants one on every problem.
            problem.Type ??= problem.Status == StatusCodes.Status429TooManyRequests
                ? "https://www.rfc-editor.org/rfc/rfc6585#section-4"
                : "about:blank";
        });
        // After the framework's writer (AddProblemDetails registered it first): the fallback for any Accept.
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemDetailsWriter>();
        services.AddExceptionHandler<ExceptionProblemHandler>();
        return services;
    }
}
