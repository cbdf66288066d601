using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace ActivityFeed.Api.Infrastructure.Paging;

public static class Links
{
    /// <summary>RFC 8288 Link to the next page: the same URL with <c>next</c> set and <c>page</c> dropped.</summary>
    public static void AddNext(HttpContext http, string next)
    {
        var query = http.Request.Query
            .Where(q => q.Key is not ("next" or "page"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("next", next));
        var url = QueryHelpers.AddQueryString(UriHelper.BuildAbsolute(http.Request.Scheme, http.Request.Host, http.Request.PathBase, http.Request.Path), query);
        http.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }
}
