using System.Net;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>Concurrent writes that upsert the same directory entries, named in opposite orders.</summary>
public sealed class DirectoryUpsertConcurrencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task BatchesNamingTheSameUsersInOppositeOrdersNeverDeadlock()
    {
        var org = await api.CreateOrgAsync("Upsert order");
        var client = api.ClientWithKey(org.ApiKey);
        var users = Enumerable.Range(0, 40).Select(i => $"u_{i:00}").ToArray();
        object Batch(IEnumerable<string> order, int round) => new
        {
            activities = order.Select(id => new { type = "call", title = $"r{round}", actor = new { id, name = $"{id} r{round}" } }).ToArray(),
        };

        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 15; round++)
        {
            var responses = await Task.WhenAll(
                client.PostBatchAsync(org.OrgId, Batch(users, round)),
                client.PostBatchAsync(org.OrgId, Batch(users.Reverse(), round)),
                client.PostBatchAsync(org.OrgId, Batch(users.Skip(20).Concat(users.Take(20)), round)));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.Equal(15 * 3 * 40, await api.CountActivitiesAsync(org.OrgId));
    }

    [Fact]
    public async Task PutRacingDeleteOfTheSameEntryIsNeverAServerError()
    {
        // Found by GeneratedBadInputTests: a DELETE between the PUT's read and its update made the update affect no row (500).
        var org = await api.CreateOrgAsync("Upsert and delete");
        var client = api.ClientWithKey(org.ApiKey);
        var path = $"/orgs/{org.OrgId}/records/r_race";
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 25; round++)
        {
            await client.PutAsync(path, HttpAssertions.Json("""{"name":"first"}"""), ActivityClient.Cancel);
            var responses = await Task.WhenAll(
                client.PutAsync(path, HttpAssertions.Json($$"""{"name":"round {{round}}"}"""), ActivityClient.Cancel),
                client.DeleteAsync(path, ActivityClient.Cancel),
                client.PutAsync(path, HttpAssertions.Json($$"""{"name":"again {{round}}"}"""), ActivityClient.Cancel));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        Assert.All(statuses, status => Assert.True((int)status < 500, $"a {(int)status} among {string.Join(", ", statuses.Select(s => (int)s))}"));
    }
}
