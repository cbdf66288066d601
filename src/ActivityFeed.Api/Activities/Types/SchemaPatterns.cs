using System.Text.RegularExpressions;

namespace ActivityFeed.Api.Activities.Types;

/// <summary>
/// The regular expressions of registered schemas (<c>pattern</c>, <c>patternProperties</c>). They are
/// written by org admins and matched against client data, so they run on the non-backtracking engine:
/// matching is linear in the input, and a pattern such as <c>^(a+)+$</c> cannot pin a core.
/// </summary>
public static class SchemaPatterns
{
    /// <summary>A backstop only: the linear-time engine needs microseconds for metadata-sized input.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <returns>The compiled pattern, or null with why it cannot be used.</returns>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        error = null;
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            error = "This pattern needs backtracking (backreferences, lookarounds, atomic or conditional groups), which the server does not run; rewrite it without them.";
        }
        catch (ArgumentException exception)
        {
            error = $"Not a valid regular expression: {exception.Message}";
        }

        return null;
    }
}
