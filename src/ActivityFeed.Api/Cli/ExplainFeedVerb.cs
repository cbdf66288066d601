using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Paging;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Cli;

/// <summary>
/// `explain-feed --org ID [--query "contact_id=c1&amp;type=call"] [--next CURSOR]`: runs the exact SQL a
/// feed page runs under EXPLAIN (ANALYZE, BUFFERS), so an operator (or the benchmark) sees its plan.
/// </summary>
public static class ExplainFeedVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, string orgId, string query, string? next)
    {
        var values = QueryHelpers.ParseQuery(query).ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray());
        var errors = new Dictionary<string, string[]>();
        var take = values.Remove("take", out var takeText) && int.TryParse(takeText[0], out var t) ? t : PageRequest.DefaultTake;
        var filters = FeedFilters.Parse(values, errors);
        foreach (var unknown in values.Keys.Where(k => !FeedFilters.BoundParameters.Contains(k) && !FeedFilters.IsMetadataParameter(k)))
        {
            errors[unknown] = ["Unknown feed parameter."];
        }

        await using var scope = services.CreateAsyncScope();
        FeedCursor? cursor = null;
        if (next is not null)
        {
            cursor = await scope.ServiceProvider.GetRequiredService<CursorCodec>().DecodeAsync(next, CancellationToken.None);
            if (cursor is null)
            {
                errors["next"] = ["Not a cursor this installation issued."];
            }
            else
            {
                filters = FeedFilters.Parse(cursor.Parameters.ToDictionary(p => p.Key, p => new[] { p.Value }), errors);
            }
        }

        if (errors.Count > 0)
        {
            foreach (var (name, messages) in errors)
            {
                await Console.Error.WriteLineAsync($"{name}: {string.Join(' ', messages)}");
            }

            return 2;
        }

        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var page = FeedSql.Page(orgId, filters, cursor, 0, take + 1);
        await db.Database.OpenConnectionAsync();
        using var org = OrgScope.Enter(orgId); // run as the server would: inside the org's row-level security
        page.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + page.CommandText;
        await using var batch = SqlBatch.Create(db, [page]);
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.Out.WriteLine(reader.GetString(0));
        }

        return 0;
    }
}
