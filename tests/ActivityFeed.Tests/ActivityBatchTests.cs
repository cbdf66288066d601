using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class ActivityBatchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task BatchCreatesEveryItemInRequestOrder()
    {
        var org = await api.CreateOrgAsync("Batch order");
        var body = new { activities = Enumerable.Range(0, 5).Select(i => new { type = "call", title = $"call {i}" }) };
        var created = await (await api.ClientWithKey(org.ApiKey).PostBatchAsync(org.OrgId, body)).ReadJsonAsync(HttpStatusCode.Created);
        var items = created.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"call {i}"), items.Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(5, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(5, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task ABatchOfAThousandWithOneBadItemCreatesNothingAndNamesThatIndex()
    {
        var org = await api.CreateOrgAsync("Batch atomic");
        var activities = Enumerable.Range(0, 1000)
            .Select(i => (object)(i == 637 ? new { type = "not_a_type", title = "bad" } : new { type = "call", title = $"call {i}" }))
            .ToList();
        var response = await api.ClientWithKey(org.ApiKey).PostBatchAsync(org.OrgId, new { activities });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Equal(["activities[637].type"], errors);
        Assert.Equal(0, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task AThousandValidItemsAreAllCreated()
    {
        var org = await api.CreateOrgAsync("Batch full");
        var activities = Enumerable.Range(0, 1000).Select(i => new { type = "message.sent", contact_id = $"c_{i % 7}", metadata = new { message_id = $"m_{i}" } });
        var created = await (await api.ClientWithKey(org.ApiKey).PostBatchAsync(org.OrgId, new { activities })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1000, created.GetProperty("items").GetArrayLength());
        Assert.Equal(1000, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task ValidationErrorsOfSeveralItemsAreAllReported()
    {
        var body = """{"activities":[{"type":"call"},{"type":"call","contact_id":"bad id"},{"type":"contact_updated","metadata":{"changes":1}}]}""";
        var problem = await (await api.AdminClient().PostBatchAsync(api.OrgId, body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("activities[1].contact_id", out _), problem.GetRawText());
        Assert.True(errors.TryGetProperty("activities[2].metadata.changes", out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"activities":[]}""", "activities")]
    [InlineData("""{}""", "activities")]
    [InlineData("""{"activities":[{"type":"call","external_id":"x"},{"type":"call","external_id":"x"}]}""", "activities[1].external_id")]
    public async Task MalformedBatchIs400(string body, string field)
    {
        var problem = await (await api.AdminClient().PostBatchAsync(api.OrgId, body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task MoreThanAThousandItemsIs400()
    {
        var activities = Enumerable.Range(0, 1001).Select(_ => new { type = "call" });
        var problem = await (await api.AdminClient().PostBatchAsync(api.OrgId, new { activities })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("activities", out _), problem.GetRawText());
    }
}
