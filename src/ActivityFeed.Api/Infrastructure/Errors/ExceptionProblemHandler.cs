using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ActivityFeed.Api.Infrastructure.Errors;

/// <summary>Turns the failures a client can cause, and those the database reports, into problem details.</summary>
public sealed class ExceptionProblemHandler(ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client went away; there is nobody to answer.
        }

        var answer = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(httpContext, bad),
            _ => PostgresErrors.FromException(exception),
        };
        if (answer is null)
        {
            return false;
        }

        if (answer.Status >= 500)
        {
            logger.LogWarning(exception, "Database unavailable while serving the request");
        }

        if (answer.RetryAfterSeconds is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await Problems.WriteAsync(httpContext, answer.Status, answer.Detail, answer.Errors);
        return true;
    }

    private static ProblemAnswer FromBadRequest(HttpContext context, BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return JsonErrors.Describe(json);
        }

        return exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => new(413, ""), // worded with the limit by ProblemDetailsSetup
            StatusCodes.Status415UnsupportedMediaType => new(415, "The request body must be JSON (Content-Type: application/json)."),
            _ when context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0)
                => new(400, "This endpoint needs a JSON request body."),
            _ => new(exception.StatusCode, exception.Message),
        };
    }
}

public sealed record ProblemAnswer(int Status, string Detail, IDictionary<string, string[]>? Errors = null, int? RetryAfterSeconds = null);
