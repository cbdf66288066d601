using System.Net;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>
/// A created_at bound on a feed sorted by occurred_at: served by walking the occurred_at index from
/// the bound it implies, and still finding activities dated after their creation.
/// </summary>
public sealed class CreatedRangeOnOccurredSortTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnActivityDatedLaterThanItsCreationIsStillFoundByACreatedAtBound()
    {
        var org = await api.CreateOrgAsync("Future dated");
        var client = api.ClientWithKey(org.ApiKey);
        var soon = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        var future = await client.CreateActivityAsync(org.OrgId, new { type = "meeting", occurred_at = soon });
        var ordinary = await client.CreateActivityAsync(org.OrgId, new { type = "call" });
        var bound = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"));

        foreach (var parameter in new[] { "created_at_lt", "created_at_lte" })
        {
            var page = await (await client.GetAsync($"/orgs/{org.OrgId}/activities?{parameter}={bound}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal([future.GetProperty("id").GetString(), ordinary.GetProperty("id").GetString()],
                page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        }
    }

    [Fact]
    public async Task TheOccurredAtIndexIsWalkedFromTheImpliedBound()
    {
        var errors = new Dictionary<string, string[]>();
        var filters = FeedFilters.Parse(new Dictionary<string, string[]> { ["created_at_lt"] = ["2026-03-01T00:00:00Z"] }, errors);
        Assert.Empty(errors);

        await using var db = QueryPlans.OpenDb(api);
        var plan = await QueryPlans.ExplainAsync(db, FeedSql.Page(api.OrgId, filters, null, 0, 26));

        var walk = plan.Split('\n').SkipWhile(l => !l.Contains("ix_activities_org_id_occurred_at_id", StringComparison.Ordinal)).Take(2).ToList();
        Assert.True(walk.Count == 2 && walk[1].Contains("Index Cond", StringComparison.Ordinal) && walk[1].Contains("occurred_at <=", StringComparison.Ordinal),
            $"the walk does not start at the bound:\n{plan}");
    }
}
