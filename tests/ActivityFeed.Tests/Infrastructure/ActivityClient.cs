using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>Small helpers over the activity endpoints so tests read like the requests they make.</summary>
public static class ActivityClient
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostActivityAsync(this HttpClient client, string orgId, object body, string? idempotencyKey = null) =>
        SendAsync(client, $"/orgs/{orgId}/activities", body, idempotencyKey);

    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, string orgId, object body, string? idempotencyKey = null) =>
        SendAsync(client, $"/orgs/{orgId}/activities/batch", body, idempotencyKey);

    public static async Task<JsonElement> CreateActivityAsync(this HttpClient client, string orgId, object body) =>
        await (await client.PostActivityAsync(orgId, body)).ReadJsonAsync(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> PatchActivityAsync(this HttpClient client, string orgId, string id, string json, string mediaType = "application/merge-patch+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/orgs/{orgId}/activities/{id}")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, mediaType),
        };
        return client.SendAsync(request, Cancel);
    }

    public static async Task<long> CountActivitiesAsync(this ApiFactory api, string orgId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM activities WHERE org_id = @org", connection);
        command.Parameters.AddWithValue("org", orgId);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }

    public static async Task<string> CreateKeyAsync(this ApiFactory api, params string[] scopes)
    {
        var created = await (await api.AdminClient().PostAsJsonAsync($"/orgs/{api.OrgId}/api-keys", new { name = "scoped", scopes }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is string json ? HttpAssertions.Json(json) : JsonContent.Create(body),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request, Cancel);
    }
}
