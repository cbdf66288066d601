using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Infrastructure.Errors;

namespace ActivityFeed.Api.Infrastructure.Json;

/// <summary>A JSON merge patch read whole from the request, or why it is not one (for any PATCH endpoint).</summary>
public sealed record PatchBody(JsonObject? Patch, IDictionary<string, string[]>? Errors, string? Detail)
{
    public static bool IsJson(HttpRequest request) =>
        request.ContentType?.Split(';')[0].Trim() is "application/merge-patch+json" or "application/json";

    public static async Task<PatchBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Read whole (the body limit bounds it) so that a duplicated member can be named by its path.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        // The parser checks UTF-8 only in what it decodes; a bad byte in a member name would surface
        // later as an InvalidOperationException (a 500), so the whole body is checked first.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return new(null, new Dictionary<string, string[]> { ["body"] = ["The body is not valid UTF-8."] }, "The body must be UTF-8 encoded JSON.");
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(buffer.ToArray(), documentOptions: JsonSetup.DocumentOptions);
        }
        catch (JsonException exception) when (JsonDuplicates.IsDuplicate(exception))
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            var path = JsonDuplicates.FirstPath(document.RootElement) ?? "body";
            return new(null, new Dictionary<string, string[]> { [path] = ["This member appears more than once; send it once."] },
                $"The patch names {path} more than once.");
        }
        catch (JsonException exception)
        {
            var answer = JsonErrors.Describe(exception);
            return new(null, answer.Errors!, answer.Detail);
        }

        return body is JsonObject patch
            ? new(patch, null, null)
            : new(null, new Dictionary<string, string[]> { ["body"] = ["A merge patch is a JSON object."] }, "The body must be a JSON object.");
    }
}
