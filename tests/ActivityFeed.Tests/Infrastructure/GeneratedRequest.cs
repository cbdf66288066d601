using System.Text;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// One generated request, exactly as sent: method, path and query (already encoded), headers, the
/// body bytes and their content type. <see cref="Describe"/> prints it so a failure can be replayed.
/// </summary>
public sealed record GeneratedRequest(
    string Operation,
    string Method,
    string PathAndQuery,
    IReadOnlyList<(string Name, string Value)> Headers,
    byte[]? Body,
    string? ContentType,
    bool Stream)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    /// <summary>The request as text: method, target, headers, and the body (C#-escaped, cut at 2,000 characters).</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(PathAndQuery.Length > 4000 ? PathAndQuery[..4000] + $"…({PathAndQuery.Length} chars)" : PathAndQuery).Append('\n');
        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(": ").Append(Escape(value.Length > 300 ? value[..300] + $"…({value.Length} chars)" : value)).Append('\n');
        }

        if (ContentType is not null)
        {
            text.Append("Content-Type: ").Append(Escape(ContentType)).Append('\n');
        }

        if (Body is not null)
        {
            var body = Encoding.UTF8.GetString(Body);
            text.Append($"body ({Body.Length} bytes): ").Append(Escape(body.Length > 2000 ? body[..2000] + "…" : body)).Append('\n');
            if (Encoding.UTF8.GetByteCount(body) != Body.Length || body.Contains('\uFFFD'))
            {
                text.Append("body bytes (hex, first 600): ").Append(Convert.ToHexString(Body.AsSpan(0, Math.Min(600, Body.Length)))).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c < ' ' || c is '\u007f' or '\u2028' or '\u2029' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.ToString();
    }
}
