using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Dialects;

/// <summary>Offset paging as the sources page: one row past the page says whether there is more.</summary>
public static class OffsetPage
{
    public static async Task<(List<T> Rows, bool HasMore)> FetchAsync<T>(IQueryable<T> ordered, int page, int perPage, CancellationToken cancellationToken)
    {
        var offset = (page - 1) * perPage;
        var rows = await (offset > 0 ? ordered.Skip(offset) : ordered).Take(perPage + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > perPage;
        if (hasMore)
        {
            rows.RemoveAt(perPage);
        }

        return (rows, hasMore);
    }

    public static int TotalPages(long total, int perPage) => (int)((total + perPage - 1) / perPage);
}
