using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>§9 registrations: create (secret once), list, get, merge-patch, delete; filters validated like list queries.</summary>
public sealed class WebhookRegistrationTests(WebhookFactory api) : IClassFixture<WebhookFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Hooks => $"/orgs/{api.OrgId}/webhooks";

    [Fact]
    public async Task CreatingReturnsTheSecretOnceWithEventsDefaultedAndFiltersNormalised()
    {
        var client = api.AdminClient();
        var response = await client.PostAsJsonAsync(Hooks, new
        {
            url = "http://127.0.0.1:9/hook",
            description = "CRM sync",
            filters = new Dictionary<string, object>
            {
                ["type"] = "sent_email,call",
                ["contact_id"] = "c_1",
                ["pinned"] = true,
                ["metadata.sequence_id"] = "s_9",
                ["occurred_at_gte"] = "2026-01-02T03:04:05Z",
            },
        }, Cancel);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("wh_", id);
        Assert.Equal($"{Hooks}/{id}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString());
        Assert.Equal(["activity.created", "activity.updated", "activity.deleted"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var filters = created.GetProperty("filters");
        Assert.Equal(["call", "sent_email"], filters.GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("c_1", filters.GetProperty("contact_id").GetString());
        Assert.True(filters.GetProperty("pinned").GetBoolean());
        Assert.Equal("s_9", filters.GetProperty("metadata.sequence_id").GetString());
        Assert.Equal("2026-01-02T03:04:05.000000Z", filters.GetProperty("occurred_at_gte").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("disabled_at").ValueKind);

        var fetched = await (await client.GetAsync($"{Hooks}/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(fetched.TryGetProperty("secret", out _));
        Assert.Equal("CRM sync", fetched.GetProperty("description").GetString());
        var listed = await (await client.GetAsync(Hooks, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray(), w => w.GetProperty("id").GetString() == id);
        Assert.False(item.TryGetProperty("secret", out _));
    }

    [Theory]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"sort_by": "created_at"}}""", "filters.sort_by")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"colour": "red"}}""", "filters.colour")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"pinned": "maybe"}}""", "filters.pinned")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"contact_id": ["c_1", "c_2"]}}""", "filters.contact_id")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"occurred_at_gt": "yesterday"}}""", "filters.occurred_at_gt")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"metadata.bad-name": "x"}}""", "filters.metadata.bad-name")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": {"relation_id": "p_1"}}""", "filters.relation_id")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "filters": []}""", "filters")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "events": []}""", "events")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "events": ["activity.read"]}""", "events")]
    [InlineData("""{"events": ["activity.created"]}""", "url")]
    [InlineData("""{"url": "ftp://127.0.0.1/"}""", "url")]
    [InlineData("""{"url": "/relative"}""", "url")]
    [InlineData("""{"url": "http://user:pw@127.0.0.1/"}""", "url")]
    public async Task ABadRegistrationIsA400NamingTheMember(string body, string member)
    {
        var response = await api.AdminClient().PostAsync(Hooks, HttpAssertions.Json(body), Cancel);
        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), problem.ToString());
    }

    [Fact]
    public async Task PatchChangesOnlyWhatItNamesAndDisabledSetsDisabledAt()
    {
        var client = api.AdminClient();
        var id = (await client.CreateWebhookAsync(api.OrgId, new { url = "http://127.0.0.1:9/a", description = "first", filters = new { type = new[] { "call" } } }))
            .GetProperty("id").GetString()!;

        var patched = await (await client.PatchWebhookAsync(api.OrgId, id, """{"description": null, "events": ["activity.deleted"], "disabled": true}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("description").ValueKind);
        Assert.Equal(["activity.deleted"], patched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("http://127.0.0.1:9/a", patched.GetProperty("url").GetString());
        Assert.Equal(["call"], patched.GetProperty("filters").GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, patched.GetProperty("disabled_at").ValueKind);

        var enabled = await (await client.PatchWebhookAsync(api.OrgId, id, """{"disabled": false, "filters": null, "url": "http://127.0.0.1:9/b"}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabled_at").ValueKind);
        Assert.Empty(enabled.GetProperty("filters").EnumerateObject());
        Assert.Equal("http://127.0.0.1:9/b", enabled.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("""{"secret": "whsec_AAAA"}""", "secret")]
    [InlineData("""{"colour": "red"}""", "colour")]
    [InlineData("""{"disabled": "yes"}""", "disabled")]
    [InlineData("""{"events": "activity.created"}""", "events")]
    [InlineData("""{"events": []}""", "events")]
    [InlineData("""{"url": "http://10.0.0.1/"}""", "url")]
    [InlineData("""{"filters": {"tag": 5}}""", "filters.tag")]
    public async Task ABadPatchIsA400AndChangesNothing(string body, string member)
    {
        var client = api.AdminClient();
        var id = (await client.CreateWebhookAsync(api.OrgId, new { url = "http://127.0.0.1:9/unchanged" })).GetProperty("id").GetString()!;
        var problem = await (await client.PatchWebhookAsync(api.OrgId, id, body)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), problem.ToString());
        var after = await (await client.GetAsync($"{Hooks}/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("http://127.0.0.1:9/unchanged", after.GetProperty("url").GetString());
        Assert.Equal(3, after.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task DeleteIs204ThenEveryPathOfItIs404()
    {
        var client = api.AdminClient();
        var id = (await client.CreateWebhookAsync(api.OrgId, new { url = "http://127.0.0.1:9/gone" })).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Hooks}/{id}", Cancel)).StatusCode);
        await (await client.GetAsync($"{Hooks}/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"{Hooks}/{id}/deliveries", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
        await (await client.PatchWebhookAsync(api.OrgId, id, """{"disabled": true}""")).ReadJsonAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"{Hooks}/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WebhooksNeedTheAdminScopeAndAreInvisibleToOtherOrgs()
    {
        var id = (await api.AdminClient().CreateWebhookAsync(api.OrgId, new { url = "http://127.0.0.1:9/mine" })).GetProperty("id").GetString()!;
        var writer = api.ClientWithKey(await api.CreateKeyAsync("activities:read", "activities:write"));
        await (await writer.GetAsync(Hooks, Cancel)).ReadJsonAsync(HttpStatusCode.Forbidden);
        await (await writer.PostAsJsonAsync(Hooks, new { url = "http://127.0.0.1:9/x" }, Cancel)).ReadJsonAsync(HttpStatusCode.Forbidden);

        var other = await api.CreateOrgAsync("Other org");
        var outsider = api.ClientWithKey(other.ApiKey);
        await (await outsider.GetAsync($"/orgs/{other.OrgId}/webhooks/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/orgs/{other.OrgId}/webhooks/{id}/deliveries", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
        await (await outsider.DeleteAsync($"/orgs/{other.OrgId}/webhooks/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"{Hooks}/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.NotFound);
        var theirs = await (await outsider.GetAsync($"/orgs/{other.OrgId}/webhooks", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
    }
}
