using System.Net;
using System.Text;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>Bad input of every kind gets its documented status as problem details, never a 500.</summary>
public sealed class ErrorResponseTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string KeysPath => $"/orgs/{api.OrgId}/api-keys";

    [Fact]
    public async Task UnknownJsonFieldIs400NamingTheField()
    {
        var response = await api.AdminClient().PostAsync(KeysPath, HttpAssertions.Json("""{"name":"x","scopes":["admin"],"colour":"red"}"""), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("colour", out _), problem.GetRawText());
        Assert.DoesNotContain("ActivityFeed.Api", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJsonIs400NamingThePosition()
    {
        var response = await api.AdminClient().PostAsync(KeysPath, HttpAssertions.Json("{\"name\": \"x\",\n \"scopes\": [admin]}"), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongJsonTypeIs400()
    {
        var response = await api.AdminClient().PostAsync(KeysPath, HttpAssertions.Json("""{"name": 12, "scopes": ["admin"]}"""), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.GetRawText());
    }

    [Fact]
    public async Task EmptyBodyIs400()
    {
        var response = await api.AdminClient().PostAsync(KeysPath, HttpAssertions.Json(""), Cancel);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task NonJsonContentTypeIs415()
    {
        var response = await api.AdminClient().PostAsync(KeysPath, new StringContent("name=x", Encoding.UTF8, "text/plain"), Cancel);
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task TwoMebibyteBodyIs413()
    {
        var huge = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"scopes\":[\"admin\"]}";
        var response = await api.AdminClient().PostAsync(KeysPath, HttpAssertions.Json(huge), Cancel);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownRouteIs404Problem()
    {
        var response = await api.AdminClient().GetAsync("/no/such/route", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownRouteUnderAnOrgIs404ProblemEvenWithoutAToken()
    {
        var response = await api.ClientWithKey(null).GetAsync($"/orgs/{api.OrgId}/no-such-collection", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethodIs405Problem()
    {
        var response = await api.AdminClient().PutAsync(KeysPath, HttpAssertions.Json("{}"), Cancel);
        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task ProblemsNameTheTraceIdAsTraceId()
    {
        var response = await api.AdminClient().GetAsync("/nothing-here", Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(problem.TryGetProperty("traceId", out _));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public async Task DirectoryPutWithoutAnObjectBodyIs400(string? body)
    {
        // Found by GeneratedBadInputTests (a PUT with no body, and one of JSON null, were 500s).
        var response = await api.AdminClient().PutAsync($"/orgs/{api.OrgId}/contacts/c_bodiless", body is null ? null : HttpAssertions.Json(body), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.GetRawText());
    }

    [Fact]
    public async Task MergePatchWithInvalidUtf8InAMemberNameIs400()
    {
        // Found by GeneratedBadInputTests: bytes E2 82 (a cut-off UTF-8 sequence) opening a member name were a 500.
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call" });
        byte[] body = [.. "{\""u8, 0xE2, 0x82, .. "title\":\"probe\"}"u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
        var response = await api.AdminClient().PatchAsync($"/orgs/{api.OrgId}/activities/{created.GetProperty("id").GetString()}", content, Cancel);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
