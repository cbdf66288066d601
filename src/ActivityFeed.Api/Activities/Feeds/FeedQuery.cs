using System.Linq.Expressions;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// The feed filters and keyset order as EF queries, for lists that compose them further (the inbox
/// joins them to its items, the dialects project their own shapes). The feeds themselves run the same
/// conditions as SQL text (<see cref="FeedSql"/>); <c>FeedSqlEquivalenceTests</c> hold the two to the same rows.
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

        foreach (var filter in filters.Metadata)
        {
            // metadata @> '{"m": …}' for each reading of the value: served by the GIN index on (org_id, metadata jsonb_path_ops).
            query = filter.Containments() switch
            {
                [var text] => query.Where(a => EF.Functions.JsonContains(a.Metadata, text)),
                [var text, var other] => query.Where(a => EF.Functions.JsonContains(a.Metadata, text) || EF.Functions.JsonContains(a.Metadata, other)),
                var all => query.Where(a => EF.Functions.JsonContains(a.Metadata, all[0]) || EF.Functions.JsonContains(a.Metadata, all[1]) || EF.Functions.JsonContains(a.Metadata, all[2])),
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
        query = OccurredBoundByCreated(db, orgId, query, filters);
        return InRange(query, a => a.UpdatedAt, filters.UpdatedAt);
    }

    /// <summary>
    /// created_at ≤ X implies occurred_at ≤ X + the org's lead (<see cref="Orgs.Org.OccurredLead"/>).
    /// Said outright, it lets a feed sorted by occurred_at start its index walk at that bound instead
    /// of walking every newer row before the first old one (created_at and occurred_at move together).
    /// </summary>
    private static IQueryable<Activity> OccurredBoundByCreated(ActivityFeedDb db, string orgId, IQueryable<Activity> query, FeedFilters filters)
    {
        if (filters.SortBy != SortField.OccurredAt || (filters.CreatedAt.Lt ?? filters.CreatedAt.Lte) is not { } before)
        {
            return query;
        }

        var bound = new BoundHolder(filters.CreatedAt.Lte is { } lte && lte < before ? lte : before);
        var lead = db.Orgs.Where(o => o.Id == orgId).Select(o => o.OccurredLead);
        return query.Where(a => a.OccurredAt <= bound.Value + lead.Single());
    }

    /// <summary>The page: ordered by (sort column, id), after the cursor's row when there is one.</summary>
    public static IQueryable<Activity> Page(IQueryable<Activity> filtered, FeedFilters filters, FeedCursor? after) =>
        Keyset(filtered, filters.SortBy switch
        {
            SortField.CreatedAt => a => a.CreatedAt,
            SortField.UpdatedAt => a => a.UpdatedAt,
            _ => a => a.OccurredAt,
        }, a => a.Id, filters.Descending, after);

    /// <summary>
    /// Orders rows by (sort key, id) and keeps those after the cursor's row, as one row-value
    /// comparison <c>(sort, id) &lt; (@value, @id)</c> that an index on (…, sort, id) serves at any depth.
    /// </summary>
    public static IQueryable<T> Keyset<T>(
        IQueryable<T> rows, Expression<Func<T, DateTimeOffset>> sortKey, Expression<Func<T, string>> idKey, bool descending, FeedCursor? after)
    {
        var row = sortKey.Parameters[0];
        var id = new ParameterReplacer(idKey.Parameters[0], row).Visit(idKey.Body);
        if (after is not null)
        {
            var position = new Position(FeedCursor.FromMicros(after.SortValueMicros), after.LastId);
            var template = descending ? Before : After;
            var body = new ParameterReplacer(template.Parameters[0], sortKey.Body).Visit(template.Body);
            body = new ParameterReplacer(template.Parameters[1], id).Visit(body);
            // A closure-held value becomes a SQL parameter, as a literal would not.
            body = new ParameterReplacer(template.Parameters[2], Expression.Constant(position)).Visit(body);
            rows = rows.Where(Expression.Lambda<Func<T, bool>>(body, row));
        }

        var idLambda = Expression.Lambda<Func<T, string>>(id, row);
        return descending
            ? rows.OrderByDescending(sortKey).ThenByDescending(idLambda)
            : rows.OrderBy(sortKey).ThenBy(idLambda);
    }

    private static readonly Expression<Func<DateTimeOffset, string, Position, bool>> Before =
        (value, id, position) => EF.Functions.LessThan(ValueTuple.Create(value, id), ValueTuple.Create(position.Value, position.Id));

    private static readonly Expression<Func<DateTimeOffset, string, Position, bool>> After =
        (value, id, position) => EF.Functions.GreaterThan(ValueTuple.Create(value, id), ValueTuple.Create(position.Value, position.Id));

    private sealed record Position(DateTimeOffset Value, string Id);

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    public static DateTimeOffset SortValue(ActivityResponse activity, SortField field) => field switch
    {
        SortField.CreatedAt => activity.CreatedAt,
        SortField.UpdatedAt => activity.UpdatedAt,
        _ => activity.OccurredAt,
    };

    public static IQueryable<T> InRange<T>(IQueryable<T> query, Expression<Func<T, DateTimeOffset>> column, TimeRange range)
    {
        query = Compare(query, column, range.Gt, Expression.GreaterThan);
        query = Compare(query, column, range.Gte, Expression.GreaterThanOrEqual);
        query = Compare(query, column, range.Lt, Expression.LessThan);
        return Compare(query, column, range.Lte, Expression.LessThanOrEqual);
    }

    private static IQueryable<T> Compare<T>(
        IQueryable<T> query, Expression<Func<T, DateTimeOffset>> column, DateTimeOffset? bound, Func<Expression, Expression, BinaryExpression> comparison)
    {
        if (bound is not { } value)
        {
            return query;
        }

        // A closure-held value becomes a SQL parameter, as a literal would not.
        var holder = new BoundHolder(value);
        var body = comparison(column.Body, Expression.Property(Expression.Constant(holder), nameof(BoundHolder.Value)));
        return query.Where(Expression.Lambda<Func<T, bool>>(body, column.Parameters));
    }

    private sealed record BoundHolder(DateTimeOffset Value);
}
