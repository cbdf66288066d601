using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class ErasureTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task ErasingAContactDeletesEveryActivityOfThatContactOnly()
    {
        var org = await api.CreateOrgAsync("Erasure");
        var client = api.ClientWithKey(org.ApiKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.CreateActivityAsync(org.OrgId, new { type = "call", contact_id = "c_forget" })).GetProperty("id").GetString()!);
        }

        await client.CreateActivityAsync(org.OrgId, new { type = "call", contact_id = "c_keep" });
        var replayable = await (await client.PostActivityAsync(org.OrgId, new { type = "call", contact_id = "c_forget", title = "secret" }, "erase-key"))
            .ReadJsonAsync(HttpStatusCode.Created);

        var erased = await (await client.DeleteAsync($"/orgs/{org.OrgId}/contacts/c_forget/activities", ActivityClient.Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, erased.GetProperty("deleted").GetInt32());
        Assert.Equal(1, await api.CountActivitiesAsync(org.OrgId));
        foreach (var id in ids)
        {
            await (await client.GetAsync($"/orgs/{org.OrgId}/activities/{id}", ActivityClient.Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        // The stored copy of the idempotent response went too: the key no longer replays the erased data.
        var retried = await client.PostActivityAsync(org.OrgId, new { type = "call", contact_id = "c_forget", title = "secret" }, "erase-key");
        var recreated = await retried.ReadJsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(replayable.GetProperty("id").GetString(), recreated.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ErasingAContactWithNoActivitiesAnswersZero()
    {
        var erased = await (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/contacts/nobody/activities", ActivityClient.Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, erased.GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task ErasureNeedsTheWriteScope()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("activities:read"));
        await (await reader.DeleteAsync($"/orgs/{api.OrgId}/contacts/c_1/activities", ActivityClient.Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ErasingAContactRemovesItsDirectoryEntryToo()
    {
        var org = await api.CreateOrgAsync("Erasure directory");
        var client = api.ClientWithKey(org.ApiKey);
        await (await client.PutAsync($"/orgs/{org.OrgId}/contacts/c_gone", HttpAssertions.Json("""{"name": "Grace", "email": "grace@example.com"}"""), ActivityClient.Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        await client.CreateActivityAsync(org.OrgId, new { type = "call", contact_id = "c_gone" });

        await (await client.DeleteAsync($"/orgs/{org.OrgId}/contacts/c_gone/activities", ActivityClient.Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/orgs/{org.OrgId}/contacts/c_gone", ActivityClient.Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ErasureRacingEditsOfTheContactsActivitiesIsNeverAServerError()
    {
        // Found by GeneratedBadInputTests: the repeatable-read erasure failed to serialize against a concurrent PATCH (503).
        var org = await api.CreateOrgAsync("Erasure race");
        var client = api.ClientWithKey(org.ApiKey);
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 6; round++)
        {
            var ids = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                ids.Add((await client.CreateActivityAsync(org.OrgId, new { type = "call", contact_id = "c_race" })).GetProperty("id").GetString()!);
            }

            var edits = ids.Select(id => client.PatchActivityAsync(org.OrgId, id, $$"""{"title":"edit {{round}}"}"""));
            var responses = await Task.WhenAll([.. edits, client.DeleteAsync($"/orgs/{org.OrgId}/contacts/c_race/activities", ActivityClient.Cancel)]);
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        Assert.All(statuses, status => Assert.True((int)status < 500, $"a {(int)status} among {string.Join(", ", statuses.Select(s => (int)s))}"));
    }
}
