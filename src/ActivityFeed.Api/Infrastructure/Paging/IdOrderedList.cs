using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ActivityFeed.Api.Infrastructure.Paging;

/// <summary>A list request over rows ordered by one id or name: its page, and where the cursor says to resume.</summary>
public sealed record IdOrderedListRequest(PageRequest Page, string? After, string Kind)
{
    /// <summary>Parses take/page/next/include_total; a problem naming every bad parameter otherwise.</summary>
    public static IdOrderedListRequest? Parse(HttpContext http, string kind, out ValidationProblem? problem)
    {
        var errors = new Dictionary<string, string[]>();
        PageRequest.RejectUnknown(http.Request.Query, PageRequest.ParameterNames, errors);
        var page = PageRequest.Parse(http.Request.Query, errors);
        string? after = null;
        if (page.Next is { Length: > 0 } && !IdCursor.TryRead(page.Next, kind, out after))
        {
            errors["next"] = ["The cursor is not one this list returned."];
        }

        problem = errors.Count > 0
            ? TypedResults.ValidationProblem(errors, detail: "One or more query parameters are invalid; see errors.")
            : null;
        return problem is null ? new IdOrderedListRequest(page, after, kind) : null;
    }

    /// <summary>
    /// The rows of this page, plus one that only says there is more: ordered by id (newest first
    /// when <paramref name="descending"/>, for time-ordered ids), after the cursor's id when there
    /// is one (keyset), else from the page's offset.
    /// </summary>
    public IQueryable<T> Window<T>(IQueryable<T> rows, Expression<Func<T, string>> id, bool descending = false)
    {
        if (After is not null)
        {
            // id > @after (or <), written as string.Compare so EF translates it to a plain comparison.
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!,
                id.Body, Expression.Property(Expression.Constant(this), nameof(After)));
            var beyond = descending ? Expression.LessThan(compare, Expression.Constant(0)) : Expression.GreaterThan(compare, Expression.Constant(0));
            rows = rows.Where(Expression.Lambda<Func<T, bool>>(beyond, id.Parameters));
        }

        var ordered = descending ? rows.OrderByDescending(id) : rows.OrderBy(id);
        return (After is null ? ordered.Skip(Page.Offset) : ordered).Take(Page.Take + 1);
    }

    /// <summary>The envelope for up to Take + 1 rows (the extra one only says there is more), with the Link header.</summary>
    public ListEnvelope<T> Envelope<T>(HttpContext http, IReadOnlyList<T> rows, Func<T, string> id, long? total)
    {
        var hasMore = rows.Count > Page.Take;
        var items = rows.Take(Page.Take).ToList();
        var next = hasMore ? IdCursor.Write(Kind, id(items[^1])) : null;
        if (next is not null)
        {
            Links.AddNext(http, next);
        }

        return new ListEnvelope<T>(items, next, hasMore, Page.Take, Page.Page, total, total is { } t ? Page.TotalPages(t) : null);
    }
}
