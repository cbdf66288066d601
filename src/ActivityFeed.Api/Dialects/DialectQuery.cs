using System.Globalization;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Infrastructure.Paging;

namespace ActivityFeed.Api.Dialects;

/// <summary>
/// A source's own query parameters, read the way the sources read them: unknown parameters are
/// ignored, a bad value of a known one is reported under the name the client sent. Filters are
/// translated to the native parameter names and parsed by <see cref="FeedFilters"/>, so a dialect
/// filters exactly as the native lists do.
/// </summary>
public sealed class DialectQuery(IQueryCollection query)
{
    private readonly Dictionary<string, List<string>> _native = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _dialectName = new(StringComparer.Ordinal);

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool Has(string name) => query.ContainsKey(name);

    /// <summary>The value of a parameter given at most once; a repeated one is a 400.</summary>
    public string? Once(string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            Errors[name] = [$"{name} may be given once."];
            return null;
        }

        return values[0] ?? "";
    }

    /// <summary>Every value of <c>name</c> and <c>name[]</c>, repeated or comma-separated, with the names that gave them.</summary>
    public (List<string> Values, List<string> Names) Many(string name)
    {
        var values = new List<string>();
        var names = new List<string>();
        foreach (var key in new[] { name, $"{name}[]" }.Where(query.ContainsKey))
        {
            names.Add(key);
            values.AddRange(query[key].SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()));
        }

        return (values, names);
    }

    public int Number(string name, int min, int max, int fallback)
    {
        if (Once(name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Errors[name] = [max == int.MaxValue ? $"{name} must be a whole number of at least {min}." : $"{name} must be a whole number from {min} to {max}."];
        return fallback;
    }

    public bool Bool(string name)
    {
        if (Once(name) is not { } text)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Errors[name] = [$"{name} must be true or false."];
        return false;
    }

    /// <summary>One of <paramref name="allowed"/> (compared ignoring case), returned as spelt there.</summary>
    public string? OneOf(string name, IReadOnlyList<string> allowed, string? fallback = null)
    {
        if (Once(name) is not { } text)
        {
            return fallback;
        }

        if (allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            return match;
        }

        Errors[name] = [$"{name} must be one of: {string.Join(", ", allowed)}."];
        return fallback;
    }

    /// <summary>The 1-based page, within the offset paging limit of every list.</summary>
    public int Page(int perPage)
    {
        var page = Number("page", 1, int.MaxValue, 1);
        if ((long)(page - 1) * perPage >= PageRequest.MaxOffsetRows && !Errors.ContainsKey("page"))
        {
            Errors["page"] = [$"Offset paging reaches only the first {PageRequest.MaxOffsetRows} rows; narrow the filters (a time range) or use the native list's next cursor."];
        }

        return page;
    }

    /// <summary>Passes values on as the native filter <paramref name="nativeName"/>; its errors will name <paramref name="dialectName"/>.</summary>
    public void Filter(string dialectName, string nativeName, params IEnumerable<string> values)
    {
        if (!_native.TryGetValue(nativeName, out var list))
        {
            _native[nativeName] = list = [];
        }

        list.AddRange(values);
        _dialectName.TryAdd(nativeName, dialectName);
    }

    /// <summary>The native filters and sort, parsed; their errors join <see cref="Errors"/> under the dialect's names.</summary>
    public FeedFilters Filters(SortField sortBy, bool descending)
    {
        Filter("sort", "sort_by", FeedFilters.SortName(sortBy));
        Filter("sort", "sort_order", descending ? "desc" : "asc");
        var nativeErrors = new Dictionary<string, string[]>();
        var filters = FeedFilters.Parse(_native.ToDictionary(p => p.Key, p => p.Value.ToArray()), nativeErrors);
        foreach (var (name, messages) in nativeErrors)
        {
            var dialectName = _dialectName.GetValueOrDefault(name, name);
            Errors.TryAdd(dialectName, [.. messages.Select(m => m.Replace(name, dialectName, StringComparison.Ordinal))]);
        }

        return filters;
    }
}
