using ActivityFeed.Api.Activities.Feeds;

namespace ActivityFeed.Api.Dialects.Crm;

/// <summary>The CRM seed's list query (both scopes) as native filters, newest <c>created_at</c> first.</summary>
public sealed record CrmListRequest(FeedFilters Filters, int Page, int PerPage)
{
    public static readonly string[] IdFilters = ["contact_id", "visitor_id", "customer_id", "relation_type", "relation_id"];

    public static CrmListRequest Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        var q = new DialectQuery(query);
        var perPage = q.Number("per_page", 1, 100, 25);
        var page = q.Page(perPage);
        foreach (var name in IdFilters)
        {
            if (q.Once(name) is { } value)
            {
                q.Filter(name, name, value);
            }
        }

        if (q.Once("slug") is { } slug)
        {
            q.Filter("slug", "type", slug);
        }

        var filters = q.Filters(SortField.CreatedAt, descending: true);
        errors = q.Errors;
        return new CrmListRequest(filters, page, perPage);
    }
}
