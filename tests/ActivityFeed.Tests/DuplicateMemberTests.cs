using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>A JSON object naming a member twice is ambiguous: every body refuses it with a 400 naming the member.</summary>
public sealed class DuplicateMemberTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task AssertDuplicateAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"type":"call","title":"a","title":"b"}""", "title")]
    [InlineData("""{"type":"call","metadata":{"x":1,"x":2}}""", "metadata.x")]
    [InlineData("""{"type":"message.sent","metadata":{"type":"message.sent","type":"message.sent"}}""", "metadata.type")]
    public async Task CreatingWithADuplicateMemberIs400NamingIt(string body, string field) =>
        await AssertDuplicateAsync(await api.AdminClient().PostActivityAsync(api.OrgId, body), field);

    [Fact]
    public async Task ABatchWithADuplicateMemberIs400NamingItsIndex()
    {
        var body = """{"activities":[{"type":"call"},{"type":"call","metadata":{"x":1,"x":2}}]}""";
        await AssertDuplicateAsync(await api.AdminClient().PostBatchAsync(api.OrgId, body), "activities[1].metadata.x");
    }

    [Theory]
    [InlineData("""{"title":"a","title":"b"}""", "title")]
    [InlineData("""{"metadata":{"x":1,"x":2}}""", "metadata.x")]
    [InlineData("""{"relation":{"type":"task","type":"product"}}""", "relation.type")]
    [InlineData("""{"metadata":{"changes":[{"key":"email","key":"name"}]}}""", "metadata.changes[0].key")]
    public async Task PatchingWithADuplicateMemberIs400NamingIt(string patch, string field)
    {
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call", title = "before" });
        var id = created.GetProperty("id").GetString()!;

        await AssertDuplicateAsync(await api.AdminClient().PatchActivityAsync(api.OrgId, id, patch), field);

        var unchanged = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("before", unchanged.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ADirectoryEntryWithADuplicateMemberIs400NamingIt()
    {
        var response = await api.AdminClient().PutAsync($"/orgs/{api.OrgId}/users/u_dup", HttpAssertions.Json("""{"name":"a","name":"b"}"""), Cancel);
        await AssertDuplicateAsync(response, "name");
    }
}
