using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Dialects.Crm;
using ActivityFeed.Api.Dialects.Salesloft;
using ActivityFeed.Api.Dialects.Topo;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ActivityFeed.Tests;

/// <summary>Each dialect's list is the feed query with offset paging: planned on the same indexes, never a scan of the table.</summary>
public sealed class DialectIndexTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static QueryCollection Query(string text) => new(QueryHelpers.ParseQuery(text));

    [Theory]
    [InlineData("")]
    [InlineData("type=call")]
    [InlineData("type[]=call&type[]=meeting")]
    [InlineData("sort_by=updated_at&sort_direction=asc")]
    [InlineData("occurred_at[gt]=2026-01-01T00:00:00Z")]
    [InlineData("pinned=true")]
    [InlineData("resource_type=person&resource_id=c1")]
    [InlineData("resource_type=account&resource_id=p1")]
    [InlineData("user_guid=u1")]
    [InlineData("id=call-act_00000000000000000000000100")]
    [InlineData("page=3&per_page=100&include_paging_counts=true")]
    public async Task SalesloftListsAreServedByAnIndex(string query)
    {
        await FeedIndexTests.SeedAsync(api);
        var request = SalesloftRequest.Parse(Query(query), out var errors);
        Assert.Empty(errors);
        await using var db = QueryPlans.OpenDb(api);
        var filtered = SalesloftApi.Filtered(db, api.OrgId, request);
        await AssertIndexOnlyAsync(db, query, FeedQuery.Page(filtered, request.Filters, null).Skip((request.Page - 1) * request.PerPage).Take(request.PerPage + 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sort_order=asc&page=2")]
    [InlineData("person_id=c1")]
    [InlineData("sequence_id=s_9")]
    [InlineData("resource_type=MESSAGE&event_type=SENT")]
    [InlineData("event_type=COMPLETED")]
    [InlineData("channel=EMAIL")]
    [InlineData("created_at_after=2026-01-01T00:00:00Z&created_at_before=2027-01-01T00:00:00Z")]
    public async Task TopoListsAreServedByAnIndex(string query)
    {
        await FeedIndexTests.SeedAsync(api);
        await using var db = QueryPlans.OpenDb(api);
        var (request, errors) = await TopoRequest.ParseAsync(Query(query), db, api.OrgId, ActivityClient.Cancel);
        Assert.Empty(errors);
        var filtered = FeedQuery.Filtered(db, api.OrgId, request.Filters);
        await AssertIndexOnlyAsync(db, query, FeedQuery.Page(filtered, request.Filters, null).Skip((request.Page - 1) * request.Size).Take(request.Size + 1));
        await AssertIndexOnlyAsync(db, query + " (total)", filtered.Select(a => a.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("contact_id=c1")]
    [InlineData("relation_type=product&relation_id=p1")]
    [InlineData("slug=call&page=2")]
    public async Task CrmCompanyListsAreServedByAnIndex(string query)
    {
        await FeedIndexTests.SeedAsync(api);
        var request = CrmListRequest.Parse(Query(query), out var errors);
        Assert.Empty(errors);
        await using var db = QueryPlans.OpenDb(api);
        var rows = CrmApi.WithFirstRecipient(db, FeedQuery.Page(FeedQuery.Filtered(db, api.OrgId, request.Filters), request.Filters, null));
        await AssertIndexOnlyAsync(db, query, rows.Skip((request.Page - 1) * request.PerPage).Take(request.PerPage + 1));
    }

    private static async Task AssertIndexOnlyAsync<T>(Api.Data.ActivityFeedDb db, string query, IQueryable<T> rows)
    {
        var plan = await QueryPlans.ExplainAsync(db, rows);
        Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), $"{query} scans a table:\n{plan}");
        Assert.Contains("Index", plan, StringComparison.Ordinal);
    }
}
