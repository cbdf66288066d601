using System.Text.Json;
using ActivityFeed.Api.Infrastructure.Json;

namespace ActivityFeed.Api.Infrastructure.Errors;

/// <summary>Says where a request body stops being acceptable JSON, without leaking .NET type names.</summary>
public static class JsonErrors
{
    public static ProblemAnswer Describe(JsonException exception)
    {
        var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        var where = exception.LineNumber is { } line
            ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})"
            : "";
        var message = exception.Message;
        string reason;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            reason = "Unknown field.";
        }
        else if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            reason = "The value has the wrong JSON type.";
        }
        else if (exception.InnerException is null && exception.Data.Contains(ClientMessageKey))
        {
            reason = (string)exception.Data[ClientMessageKey]!;
        }
        else
        {
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            reason = cut > 0 ? message[..cut] : message;
        }

        var field = ToFieldName(path);
        if (JsonDuplicates.NameIn(message) is { } duplicate)
        {
            // A bound member's path already names it ($.title); a JsonElement's names its holder ($.metadata).
            reason = $"The member '{duplicate}' appears more than once; send it once.";
            if (path == "$")
            {
                field = duplicate;
            }
            else if (field != duplicate && !field.EndsWith($".{duplicate}", StringComparison.Ordinal))
            {
                field = $"{field}.{duplicate}";
            }
        }

        return new ProblemAnswer(400, $"The request body is not acceptable JSON at {path}{where}: {reason}",
            new Dictionary<string, string[]> { [field] = [reason] });
    }

    /// <summary>Marks an exception message written for clients (by our converters), so it is shown as is.</summary>
    public const string ClientMessageKey = "client_message";

    public static JsonException ClientError(string message)
    {
        var exception = new JsonException(message);
        exception.Data[ClientMessageKey] = message;
        return exception;
    }

    /// <summary>$.activities[3].type → activities[3].type; $ → body.</summary>
    private static string ToFieldName(string path) =>
        path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
