using System.Linq.Expressions;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// An activity with the columns a response needs (not the request hash) and the directory entries
/// of its actor, assistant, segment and broadcast, joined in so that a page is one statement. A
/// missing entry is null: the response then shows the object with only its id.
/// </summary>
public sealed class ActivityRow
{
    public required Activity Activity { get; init; }
    public Directory.User? Actor { get; init; }
    public Directory.Assistant? Assistant { get; init; }
    public Directory.Segment? Segment { get; init; }
    public Directory.Broadcast? Broadcast { get; init; }
}

public static class ActivityRows
{
    /// <summary>
    /// <paramref name="activities"/> (filtered, ordered and limited) as response rows: a LEFT JOIN
    /// per directory kind on its primary key. EF puts the page's ORDER BY back on the outer query.
    /// The joins and the projection are one expression built once (<see cref="Template"/>) with the
    /// page put in per request: building the ~200-node tree anew was a tenth of a page's API CPU.
    /// </summary>
    public static IQueryable<ActivityRow> Enriched(ActivityFeedDb db, IQueryable<Activity> activities)
    {
        var body = new Substitute(Template.Parameters[0], Expression.Constant(db), Template.Parameters[1], activities.Expression).Visit(Template.Body);
        return activities.Provider.CreateQuery<ActivityRow>(body);
    }

    private static readonly Expression<Func<ActivityFeedDb, IQueryable<Activity>, IQueryable<ActivityRow>>> Template = (db, activities) =>
        activities
            .LeftJoin(db.Users, a => new { a.OrgId, Id = a.ActorId }, u => new { u.OrgId, Id = (string?)u.Id }, (a, u) => new { a, u })
            .LeftJoin(db.Assistants, x => new { x.a.OrgId, Id = x.a.AssistantId }, s => new { s.OrgId, Id = (string?)s.Id }, (x, s) => new { x.a, x.u, s })
            .LeftJoin(db.Segments, x => new { x.a.OrgId, Id = x.a.SegmentId }, g => new { g.OrgId, Id = (string?)g.Id }, (x, g) => new { x.a, x.u, x.s, g })
            .LeftJoin(db.Broadcasts, x => new { x.a.OrgId, Id = x.a.BroadcastId }, b => new { b.OrgId, Id = (string?)b.Id }, (x, b) => new ActivityRow
            {
                Activity = new Activity
                {
                    OrgId = x.a.OrgId, Id = x.a.Id, Type = x.a.Type, OccurredAt = x.a.OccurredAt, CreatedAt = x.a.CreatedAt, UpdatedAt = x.a.UpdatedAt,
                    ActorId = x.a.ActorId, AssistantId = x.a.AssistantId, ContactId = x.a.ContactId, VisitorId = x.a.VisitorId,
                    CustomerId = x.a.CustomerId, TableId = x.a.TableId, RecordId = x.a.RecordId, SegmentId = x.a.SegmentId,
                    BroadcastId = x.a.BroadcastId, RelationType = x.a.RelationType, RelationId = x.a.RelationId, Title = x.a.Title,
                    Description = x.a.Description, FormattedDescription = x.a.FormattedDescription, Comment = x.a.Comment,
                    Note = x.a.Note, File = x.a.File, Attachments = x.a.Attachments, Tags = x.a.Tags, PinnedAt = x.a.PinnedAt,
                    Channel = x.a.Channel, Recipients = x.a.Recipients, ExternalId = x.a.ExternalId, Metadata = x.a.Metadata,
                },
                Actor = x.u, Assistant = x.s, Segment = x.g, Broadcast = b,
            });

    /// <summary>
    /// One activity by org and id as a response row (null when there is none): the same statement
    /// as <see cref="Enriched"/> over one row, compiled once (declared after <see cref="Template"/>: static fields initialise in order), so a read skips EF's per-query
    /// front end (expression cache key, parameter extraction) altogether.
    /// </summary>
    public static readonly Func<ActivityFeedDb, string, string, CancellationToken, Task<ActivityRow?>> ById = EF.CompileAsyncQuery(ByIdQuery());

    private static Expression<Func<ActivityFeedDb, string, string, CancellationToken, ActivityRow?>> ByIdQuery()
    {
        Expression<Func<ActivityFeedDb, string, string, CancellationToken, IQueryable<Activity>>> one =
            (db, orgId, id, _) => db.Activities.AsNoTracking().Where(a => a.OrgId == orgId && a.Id == id);
        var rows = new Substitute(Template.Parameters[0], one.Parameters[0], Template.Parameters[1], one.Body).Visit(Template.Body);
        var single = Expression.Call(typeof(Queryable), nameof(Queryable.SingleOrDefault), [typeof(ActivityRow)], rows);
        return Expression.Lambda<Func<ActivityFeedDb, string, string, CancellationToken, ActivityRow?>>(single, one.Parameters);
    }

    private sealed class Substitute(ParameterExpression db, Expression dbValue, ParameterExpression activities, Expression activitiesValue) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == db ? dbValue : node == activities ? activitiesValue : node;
    }
}
