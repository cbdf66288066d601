using System.Linq.Expressions;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// The one SQL shape every feed uses: org scope, filters, then a total order (sort column, id) with
/// a keyset condition, so each filter lands on an org-leading index and a page costs the same at
/// any depth.
/// </summary>
public static class FeedQuery
{
    public static IQueryable<Activity> Filtered(ActivityFeedDb db, string orgId, FeedFilters filters)
    {
        var query = db.Activities.AsNoTracking().Where(a => a.OrgId == orgId);
        foreach (var (name, value) in filters.Ids)
        {
            query = name switch
            {
                "actor_id" => query.Where(a => a.ActorId == value),
                "assistant_id" => query.Where(a => a.AssistantId == value),
                "segment_id" => query.Where(a => a.SegmentId == value),
                "contact_id" => query.Where(a => a.ContactId == value),
                "visitor_id" => query.Where(a => a.VisitorId == value),
                "customer_id" => query.Where(a => a.CustomerId == value),
                "table_id" => query.Where(a => a.TableId == value),
                "record_id" => query.Where(a => a.RecordId == value),
                "broadcast_id" => query.Where(a => a.BroadcastId == value),
                "relation_id" => query.Where(a => a.RelationId == value),
                "external_id" => query.Where(a => a.ExternalId == value),
                _ => throw new ArgumentOutOfRangeException(nameof(filters), name, "Not an id filter."),
            };
        }

        if (filters.Types is [var type])
        {
            query = query.Where(a => a.Type == type);
        }
        else if (filters.Types.Count > 1)
        {
            var types = filters.Types.ToArray();
            query = query.Where(a => types.Contains(a.Type));
        }

        if (filters.RelationType is { } relationType)
        {
            query = query.Where(a => a.RelationType == relationType);
        }

        if (filters.Tags.Count > 0)
        {
            var tags = filters.Tags.ToArray();
            query = query.Where(a => a.Tags.Any(t => tags.Contains(t))); // tags && @tags: served by the GIN index
        }

        if (filters.Channel is { } channel)
        {
            query = query.Where(a => a.Channel == channel);
        }

        query = filters.Pinned switch
        {
            true => query.Where(a => a.PinnedAt != null),
            false => query.Where(a => a.PinnedAt == null),
            null => query,
        };

        query = InRange(query, a => a.OccurredAt, filters.OccurredAt);
        query = InRange(query, a => a.CreatedAt, filters.CreatedAt);
        return InRange(query, a => a.UpdatedAt, filters.UpdatedAt);
    }

    /// <summary>The page: ordered by (sort column, id), after the cursor's row when there is one.</summary>
    public static IQueryable<Activity> Page(IQueryable<Activity> filtered, FeedFilters filters, FeedCursor? after)
    {
        if (after is not null)
        {
            var value = FeedCursor.FromMicros(after.SortValueMicros);
            var id = after.LastId;
            filtered = (filters.SortBy, filters.Descending) switch
            {
                (SortField.OccurredAt, true) => filtered.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.OccurredAt, a.Id), ValueTuple.Create(value, id))),
                (SortField.OccurredAt, false) => filtered.Where(a => EF.Functions.GreaterThan(ValueTuple.Create(a.OccurredAt, a.Id), ValueTuple.Create(value, id))),
                (SortField.CreatedAt, true) => filtered.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.CreatedAt, a.Id), ValueTuple.Create(value, id))),
                (SortField.CreatedAt, false) => filtered.Where(a => EF.Functions.GreaterThan(ValueTuple.Create(a.CreatedAt, a.Id), ValueTuple.Create(value, id))),
                (SortField.UpdatedAt, true) => filtered.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.UpdatedAt, a.Id), ValueTuple.Create(value, id))),
                _ => filtered.Where(a => EF.Functions.GreaterThan(ValueTuple.Create(a.UpdatedAt, a.Id), ValueTuple.Create(value, id))),
            };
        }

        Expression<Func<Activity, DateTimeOffset>> sortKey = filters.SortBy switch
        {
            SortField.CreatedAt => a => a.CreatedAt,
            SortField.UpdatedAt => a => a.UpdatedAt,
            _ => a => a.OccurredAt,
        };
        return filters.Descending
            ? filtered.OrderByDescending(sortKey).ThenByDescending(a => a.Id)
            : filtered.OrderBy(sortKey).ThenBy(a => a.Id);
    }

    public static DateTimeOffset SortValue(Activity activity, SortField field) => field switch
    {
        SortField.CreatedAt => activity.CreatedAt,
        SortField.UpdatedAt => activity.UpdatedAt,
        _ => activity.OccurredAt,
    };

    private static IQueryable<Activity> InRange(IQueryable<Activity> query, Expression<Func<Activity, DateTimeOffset>> column, TimeRange range)
    {
        query = Compare(query, column, range.Gt, Expression.GreaterThan);
        query = Compare(query, column, range.Gte, Expression.GreaterThanOrEqual);
        query = Compare(query, column, range.Lt, Expression.LessThan);
        return Compare(query, column, range.Lte, Expression.LessThanOrEqual);
    }

    private static IQueryable<Activity> Compare(
        IQueryable<Activity> query, Expression<Func<Activity, DateTimeOffset>> column, DateTimeOffset? bound, Func<Expression, Expression, BinaryExpression> comparison)
    {
        if (bound is not { } value)
        {
            return query;
        }

        // A closure-held value becomes a SQL parameter, as a literal would not.
        var holder = new BoundHolder(value);
        var body = comparison(column.Body, Expression.Property(Expression.Constant(holder), nameof(BoundHolder.Value)));
        return query.Where(Expression.Lambda<Func<Activity, bool>>(body, column.Parameters));
    }

    private sealed record BoundHolder(DateTimeOffset Value);
}
