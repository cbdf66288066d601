using System.Globalization;
using System.Text.RegularExpressions;

namespace ActivityFeed.Api.Infrastructure.Json;

/// <summary>RFC 3339 timestamps at the precision PostgreSQL keeps: microseconds, always six digits, always UTC.</summary>
public static partial class Timestamps
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    public static string ToText(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>The server clock, cut to what the database stores, so a written value reads back equal.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    public const string Expectation = "an RFC 3339 timestamp with a time zone and at most six fractional digits, e.g. 2026-01-02T03:04:05.123456Z";
}
