using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>What an id in a path, a query or a body names, so a probe can fill it with one org's value.</summary>
public enum IdKind
{
    Org, Activity, ApiKey, User, OtherUser, UserToken, Contact, Visitor, Customer, Record, Table, Segment, Broadcast,
    Assistant, Relation, External, Webhook, ActivityType, Sequence,
}

/// <summary>
/// One org with something behind every id kind the API takes (activities with every reference,
/// directory entries, users with tokens and inbox items, a custom type, a webhook, a second API
/// key). Every id and name carries the org's tag, so another org's answer that shows any of them
/// has leaked it.
/// </summary>
public sealed class TenantData
{
    private readonly Dictionary<IdKind, string> _ids = [];
    private readonly List<string> _secrets = [];

    private TenantData(string tag, ActivityFeed.Api.Orgs.ProvisionedOrg org)
    {
        Tag = tag;
        OrgId = org.OrgId;
        AdminKey = org.ApiKey;
        _ids[IdKind.Org] = org.OrgId;
    }

    public string Tag { get; }

    public string OrgId { get; }

    public string AdminKey { get; }

    /// <summary>A user token of <see cref="IdKind.User"/>.</summary>
    public string UserToken { get; private set; } = "";

    /// <summary>A user token of <see cref="IdKind.OtherUser"/>.</summary>
    public string OtherUserToken { get; private set; } = "";

    /// <summary>An activity only <see cref="IdKind.OtherUser"/> receives.</summary>
    public string OtherUsersActivity { get; private set; } = "";

    /// <summary>Every id, name, value and secret of this org that another org's answer must never show.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    public string this[IdKind kind] => _ids[kind];

    public static async Task<TenantData> SeedAsync(ApiFactory api, string tag)
    {
        var provisioned = await api.CreateOrgAsync($"{tag}-secret org", $"org_{tag}");
        var tenant = new TenantData(tag, provisioned);
        await tenant.FillAsync(api);
        return tenant;
    }

    private string Name(string what) => $"{Tag}-secret {what}";

    private async Task FillAsync(ApiFactory api)
    {
        var cancel = TestContext.Current.CancellationToken;
        var admin = api.ClientWithKey(AdminKey);
        var org = $"/orgs/{OrgId}";
        foreach (var (kind, suffix) in new[]
                 {
                     (IdKind.User, "user1"), (IdKind.OtherUser, "user2"), (IdKind.Contact, "contact"), (IdKind.Visitor, "visitor"),
                     (IdKind.Customer, "customer"), (IdKind.Record, "record"), (IdKind.Table, "table"), (IdKind.Segment, "segment"),
                     (IdKind.Broadcast, "broadcast"), (IdKind.Assistant, "assistant"), (IdKind.Relation, "relation"),
                     (IdKind.External, "external"), (IdKind.Sequence, "sequence"), (IdKind.ActivityType, "custom.type"),
                 })
        {
            _ids[kind] = $"{Tag}_{suffix}";
        }

        async Task<JsonElement> Put(string path, object body) =>
            await (await admin.PutAsJsonAsync(org + path, body, cancel)).ReadJsonAsync(HttpStatusCode.Created);

        await Put($"/users/{this[IdKind.User]}", new { name = Name("user one"), email = $"{Tag}.one@example.com" });
        await Put($"/users/{this[IdKind.OtherUser]}", new { name = Name("user two"), email = $"{Tag}.two@example.com" });
        await Put($"/contacts/{this[IdKind.Contact]}", new { name = Name("contact"), email = $"{Tag}.contact@example.com" });
        await Put($"/tables/{this[IdKind.Table]}", new { name = Name("table") });
        await Put($"/records/{this[IdKind.Record]}", new { table_id = this[IdKind.Table], name = Name("record") });
        await Put($"/segments/{this[IdKind.Segment]}", new { name = Name("segment"), color = "red" });
        await Put($"/broadcasts/{this[IdKind.Broadcast]}", new { name = Name("broadcast") });
        await Put($"/assistants/{this[IdKind.Assistant]}", new { name = Name("assistant") });
        await Put($"/activity-types/{this[IdKind.ActivityType]}", new
        {
            description = Name("custom type"),
            metadata_schema = new { type = "object", properties = new { sequence_id = new { type = "string" } } },
        });

        for (var n = 0; n < 3; n++)
        {
            var activity = await admin.CreateActivityAsync(OrgId, new
            {
                type = n == 0 ? "call" : this[IdKind.ActivityType],
                actor_id = this[IdKind.User], assistant_id = this[IdKind.Assistant], contact_id = this[IdKind.Contact],
                visitor_id = this[IdKind.Visitor], customer_id = this[IdKind.Customer], table_id = this[IdKind.Table],
                record_id = this[IdKind.Record], segment_id = this[IdKind.Segment], broadcast_id = this[IdKind.Broadcast],
                relation = new { type = "product", id = this[IdKind.Relation] },
                title = Name($"title {n}"), description = Name($"description {n}"), comment = Name($"comment {n}"),
                tags = new[] { $"{Tag}_tag" }, channel = "EMAIL",
                recipients = new[] { this[IdKind.User], this[IdKind.OtherUser] },
                external_id = n == 0 ? this[IdKind.External] : $"{Tag}_external{n}",
                metadata = n == 0 ? null : new { sequence_id = this[IdKind.Sequence] },
            });
            _secrets.Add(activity.GetProperty("id").GetString()!);
            if (n == 0)
            {
                _ids[IdKind.Activity] = activity.GetProperty("id").GetString()!;
            }
        }

        var private2 = await admin.CreateActivityAsync(OrgId, new { type = "call", title = Name("for user two only"), recipients = new[] { this[IdKind.OtherUser] } });
        OtherUsersActivity = private2.GetProperty("id").GetString()!;
        _secrets.Add(OtherUsersActivity);

        var key = await (await admin.PostAsJsonAsync($"{org}/api-keys", new { name = Name("reader key"), scopes = new[] { "activities:read" } }, cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        _ids[IdKind.ApiKey] = key.GetProperty("id").GetString()!;
        _secrets.Add(key.GetProperty("key").GetString()!);

        var token = await (await admin.PostAsJsonAsync($"{org}/users/{this[IdKind.User]}/tokens", new { expires_in = 3600 }, cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        _ids[IdKind.UserToken] = token.GetProperty("id").GetString()!;
        UserToken = token.GetProperty("token").GetString()!;
        var other = await (await admin.PostAsJsonAsync($"{org}/users/{this[IdKind.OtherUser]}/tokens", new { expires_in = 3600 }, cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        OtherUserToken = other.GetProperty("token").GetString()!;

        var webhook = await (await admin.PostAsJsonAsync($"{org}/webhooks", new { url = $"http://127.0.0.1:9/{Tag}-hook", description = Name("webhook") }, cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        _ids[IdKind.Webhook] = webhook.GetProperty("id").GetString()!;
        foreach (var secretMember in new[] { "secret", "signing_secret" })
        {
            if (webhook.TryGetProperty(secretMember, out var secret) && secret.ValueKind == JsonValueKind.String)
            {
                _secrets.Add(secret.GetString()!);
            }
        }

        _secrets.AddRange(_ids.Values);
        _secrets.AddRange([AdminKey, UserToken, OtherUserToken, other.GetProperty("id").GetString()!, $"{Tag}-secret", $"{Tag}-hook", $"{Tag}_tag", $"{Tag}.one@example.com"]);
    }
}
