using System.Text.RegularExpressions;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>An OpenAPI path template with its <c>{parameters}</c> filled, each value percent-encoded.</summary>
public static partial class PathTemplates
{
    public static string Fill(string template, Func<string, string> value)
    {
        var path = template;
        foreach (var name in Parameter().Matches(template).Select(m => m.Groups[1].Value))
        {
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value(name)), StringComparison.Ordinal);
        }

        return path;
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
