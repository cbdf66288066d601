using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ActivityFeed.Api.Infrastructure.Json;

/// <summary>
/// A JSON merge patch body (RFC 7396), read whole (the body limit bounds it) as an object, so a
/// handler can tell an absent member from a null one and a duplicated member can be named by its path.
/// </summary>
public static class MergePatchBody
{
    public sealed record Read(JsonObject? Patch, ProblemHttpResult? Unsupported, ValidationProblem? Invalid);

    public static async Task<Read> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not ("application/merge-patch+json" or "application/json"))
        {
            return new Read(null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "PATCH takes a JSON merge patch: Content-Type application/merge-patch+json or application/json."), null);
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(buffer.ToArray(), documentOptions: JsonSetup.DocumentOptions);
        }
        catch (JsonException exception) when (JsonDuplicates.IsDuplicate(exception))
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            var path = JsonDuplicates.FirstPath(document.RootElement) ?? "body";
            return Invalid(new Dictionary<string, string[]> { [path] = ["This member appears more than once; send it once."] },
                $"The patch names {path} more than once.");
        }
        catch (JsonException exception)
        {
            var answer = JsonErrors.Describe(exception);
            return Invalid(answer.Errors!, answer.Detail);
        }

        return body is JsonObject patch
            ? new Read(patch, null, null)
            : Invalid(new Dictionary<string, string[]> { ["body"] = ["A merge patch is a JSON object."] }, "The body must be a JSON object.");
    }

    private static Read Invalid(IDictionary<string, string[]> errors, string? detail) =>
        new(null, null, TypedResults.ValidationProblem(errors, detail: detail));
}
