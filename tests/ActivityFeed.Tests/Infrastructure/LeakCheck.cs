using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// Whether an answer shows anything of another org: its secrets (ids, names, values, keys)
/// anywhere in the headers (<c>Location</c> included), the body, or inside the base64url parts of
/// any cursor in it, unless the request itself carried that value (an echo is no leak).
/// </summary>
public static class LeakCheck
{
    public static string? Find(IReadOnlyList<string> secrets, string request, HttpResponseMessage response, string body)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            text.Append(name).Append(": ").AppendJoin(',', values).Append('\n');
        }

        text.Append(body).Append('\n');
        foreach (var decoded in DecodedStrings(body))
        {
            text.Append(decoded).Append('\n');
        }

        var answer = text.ToString();
        return secrets.FirstOrDefault(s => answer.Contains(s, StringComparison.Ordinal) && !request.Contains(s, StringComparison.Ordinal));
    }

    /// <summary>Every string in the JSON body, decoded from base64url in each dot-separated part where it decodes.</summary>
    private static IEnumerable<string> DecodedStrings(string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            yield break;
        }

        var pending = new Stack<JsonElement>([root]);
        while (pending.Count > 0)
        {
            var element = pending.Pop();
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        pending.Push(member.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        pending.Push(item);
                    }

                    break;
                case JsonValueKind.String:
                    foreach (var part in element.GetString()!.Split('.'))
                    {
                        if (part.Length >= 8 && Base64Url.IsValid(part))
                        {
                            yield return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part));
                        }
                    }

                    break;
            }
        }
    }
}
