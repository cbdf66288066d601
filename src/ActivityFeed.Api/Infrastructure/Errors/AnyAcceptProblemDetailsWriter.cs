using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Infrastructure.Errors;

/// <summary>
/// The framework's problem writer answers only clients that accept JSON; a request with
/// <c>Accept: text/event-stream</c> (every EventSource) then had no writer, and the error became a 500.
/// Registered after it, this one takes whatever is left: every error is a problem with its own
/// status and <c>trace_id</c>, whatever the <c>Accept</c> header says.
/// </summary>
public sealed class AnyAcceptProblemDetailsWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status ??= status;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        await context.HttpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.HttpContext.RequestAborted);
    }
}
