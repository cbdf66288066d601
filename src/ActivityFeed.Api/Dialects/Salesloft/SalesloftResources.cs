using System.Linq.Expressions;
using ActivityFeed.Api.Activities;

namespace ActivityFeed.Api.Dialects.Salesloft;

/// <summary>
/// Which Salesloft resource an activity is attributed to: the person (its contact) when it has
/// one, else its relation when that is an account or an opportunity.
/// </summary>
public static class SalesloftResources
{
    public static (string? Type, string? Id) Of(Activity activity) =>
        activity.ContactId is { } contact ? (SalesloftRequest.Person, contact)
        : activity.RelationType is "account" or "crm_opportunity" ? (activity.RelationType, activity.RelationId)
        : (null, null);

    /// <summary>The activities attributed to any of <paramref name="types"/> (to that resource when <paramref name="id"/> is given).</summary>
    public static Expression<Func<Activity, bool>> Matching(IReadOnlyList<string> types, string? id)
    {
        var parameter = Expression.Parameter(typeof(Activity), "a");
        var conditions = types.Select(type => Of(type, id)).Select(condition => new Rebind(condition.Parameters[0], parameter).Visit(condition.Body));
        return Expression.Lambda<Func<Activity, bool>>(conditions.Aggregate(Expression.OrElse), parameter);
    }

    private static Expression<Func<Activity, bool>> Of(string type, string? id) => (type, id) switch
    {
        (SalesloftRequest.Person, null) => a => a.ContactId != null,
        (SalesloftRequest.Person, _) => a => a.ContactId == id,
        (_, null) => a => a.ContactId == null && a.RelationType == type,
        _ => a => a.ContactId == null && a.RelationType == type && a.RelationId == id,
    };

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
