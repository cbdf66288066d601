using System.Globalization;

namespace ActivityFeed.Api.Infrastructure.Paging;

/// <summary>take/page/next/include_total, parsed and checked; every bad value is reported under its parameter name.</summary>
public sealed record PageRequest(int Take, int? Page, string? Next, bool IncludeTotal)
{
    public const int DefaultTake = 25;
    public const int MaxTake = 100;

    /// <summary>Offset paging stops here: deeper pages must use the keyset cursor, which stays fast.</summary>
    public const int MaxOffsetRows = 10_000;

    public static readonly string[] ParameterNames = ["take", "page", "next", "include_total"];

    public int Offset => ((Page ?? 1) - 1) * Take;

    public static PageRequest Parse(IQueryCollection query, IDictionary<string, string[]> errors)
    {
        var take = DefaultTake;
        if (query.TryGetValue("take", out var takeText)
            && (!int.TryParse(takeText, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxTake))
        {
            errors["take"] = [$"take must be a whole number from 1 to {MaxTake}."];
            take = DefaultTake;
        }

        int? page = null;
        if (query.TryGetValue("page", out var pageText))
        {
            if (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1)
            {
                errors["page"] = ["page must be a whole number of at least 1."];
            }
            else if ((long)(p - 1) * take >= MaxOffsetRows)
            {
                errors["page"] = [$"Offset paging reaches only the first {MaxOffsetRows} rows; follow the 'next' cursor of the previous page to go deeper."];
            }
            else
            {
                page = p;
            }
        }

        string? next = query.TryGetValue("next", out var nextText) ? nextText.ToString() : null;
        if (next is not null && query.ContainsKey("page"))
        {
            errors["page"] = ["page and next cannot be combined: next already says where the page starts."];
        }

        if (next is { Length: 0 })
        {
            errors["next"] = ["next must be the cursor returned by the previous page."];
        }

        var includeTotal = false;
        if (query.TryGetValue("include_total", out var totalText) && !bool.TryParse(totalText, out includeTotal))
        {
            errors["include_total"] = ["include_total must be true or false."];
        }

        return new PageRequest(take, next is null ? page ?? 1 : null, next, includeTotal);
    }

    /// <summary>Unknown query parameters are mistakes (a misspelt filter would otherwise silently match everything).</summary>
    public static void RejectUnknown(IQueryCollection query, IReadOnlyCollection<string> known, IDictionary<string, string[]> errors, Func<string, bool>? alsoKnown = null)
    {
        foreach (var name in query.Keys.Where(k => !known.Contains(k) && alsoKnown?.Invoke(k) != true))
        {
            errors[name] = [$"Unknown query parameter '{name}'."];
        }
    }

    public int? TotalPages(long total) => (int)((total + Take - 1) / Take);
}
