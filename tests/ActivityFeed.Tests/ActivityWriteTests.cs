using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class ActivityWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string FullActivity = """
        {
          "type": "contact_updated",
          "occurred_at": "2026-01-02T03:04:05.123456Z",
          "actor_id": "u_1",
          "assistant_id": "as_1",
          "contact_id": "c_9",
          "visitor_id": "v_1",
          "customer_id": "cu_1",
          "table_id": "t_deals",
          "record_id": "r_42",
          "segment_id": "seg_1",
          "broadcast_id": "b_1",
          "relation": { "type": "product", "id": "p_7" },
          "title": "Email changed",
          "description": "Jane changed her email",
          "formatted_description": "<strong>Jane</strong> changed her email",
          "comment": "checked by phone",
          "note": { "content": "call back", "user_id": "u_1", "attachments": [ { "file_filename": "n.txt", "file_size": 3 } ] },
          "file": { "file_filename": "a.pdf", "file_size": 1024, "file_mimetype": "application/pdf", "file_url": "https://files.example/a.pdf", "file_path": "/a.pdf" },
          "attachments": [ { "id": "f_1", "file_filename": "b.png", "file_size": 10, "file_mimetype": "image/png" } ],
          "tags": ["primary", "crm"],
          "pinned": true,
          "channel": "EMAIL",
          "recipients": ["u_1", "u_2"],
          "external_id": "crm-evt-123",
          "metadata": { "changes": [ { "key": "email", "old_value": "a@x", "new_value": "b@x" } ] }
        }
        """;

    [Fact]
    public async Task CreatingAnActivityReturns201WithLocationAndEveryField()
    {
        var response = await api.AdminClient().PostActivityAsync(api.OrgId, FullActivity);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;

        Assert.StartsWith("act_", id);
        Assert.Equal($"/orgs/{api.OrgId}/activities/{id}", response.Headers.Location?.ToString());
        Assert.Equal("contact_updated", created.GetProperty("type").GetString());
        Assert.Equal("2026-01-02T03:04:05.123456Z", created.GetProperty("occurred_at").GetString());
        Assert.Equal("u_1", created.GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal("as_1", created.GetProperty("assistant").GetProperty("id").GetString());
        Assert.Equal("seg_1", created.GetProperty("segment").GetProperty("id").GetString());
        Assert.Equal("b_1", created.GetProperty("broadcast").GetProperty("id").GetString());
        foreach (var (field, value) in new[] { ("contact_id", "c_9"), ("visitor_id", "v_1"), ("customer_id", "cu_1"), ("table_id", "t_deals"), ("record_id", "r_42"), ("channel", "EMAIL"), ("external_id", "crm-evt-123"), ("comment", "checked by phone") })
        {
            Assert.Equal(value, created.GetProperty(field).GetString());
        }

        Assert.Equal("product", created.GetProperty("relation").GetProperty("type").GetString());
        Assert.Equal("p_7", created.GetProperty("relation").GetProperty("id").GetString());
        Assert.Equal("call back", created.GetProperty("note").GetProperty("content").GetString());
        Assert.Equal("u_1", created.GetProperty("note").GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("n.txt", created.GetProperty("note").GetProperty("attachments")[0].GetProperty("file_filename").GetString());
        Assert.Equal(1024, created.GetProperty("file").GetProperty("file_size").GetInt64());
        Assert.Equal("f_1", created.GetProperty("attachments")[0].GetProperty("id").GetString());
        Assert.Equal(["primary", "crm"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["u_1", "u_2"], created.GetProperty("recipients").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(created.GetProperty("created_at").GetString(), created.GetProperty("pinned_at").GetString());
        Assert.Equal("b@x", created.GetProperty("metadata").GetProperty("changes")[0].GetProperty("new_value").GetString());

        var fetched = await (await api.AdminClient().GetAsync(response.Headers.Location, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        // JSON objects are unordered (PostgreSQL's jsonb keeps its own key order), so compare as JSON.
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(created.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(fetched.GetRawText())),
            $"{created}\n!=\n{fetched}");
    }

    [Fact]
    public async Task OccurredAtDefaultsToNowAndEveryTimestampHasSixFractionalDigits()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "note_created" });
        foreach (var field in new[] { "occurred_at", "created_at", "updated_at" })
        {
            var text = created.GetProperty(field).GetString()!;
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", text);
            Assert.True(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) >= before);
        }

        Assert.Equal(created.GetProperty("created_at").GetString(), created.GetProperty("occurred_at").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("actor").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("pinned_at").ValueKind);
        Assert.Empty(created.GetProperty("tags").EnumerateArray());
        Assert.Equal("{}", created.GetProperty("metadata").GetRawText());
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05.1Z", "2026-01-02T03:04:05.100000Z")]
    [InlineData("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000000Z")]
    [InlineData("2026-01-02T05:04:05.000001+02:00", "2026-01-02T03:04:05.000001Z")]
    [InlineData("1999-12-31T23:59:59.999999Z", "1999-12-31T23:59:59.999999Z")]
    public async Task TimestampsRoundTripAtMicrosecondPrecisionInUtc(string sent, string expected)
    {
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "note_created", occurred_at = sent });
        Assert.Equal(expected, created.GetProperty("occurred_at").GetString());
        var fetched = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/{created.GetProperty("id").GetString()}", Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected, fetched.GetProperty("occurred_at").GetString());
    }

    [Theory]
    [InlineData("""{"type":"note_created","occurred_at":"2026-01-02T03:04:05.1234567Z"}""", "occurred_at")]
    [InlineData("""{"type":"note_created","occurred_at":"2026-01-02 03:04:05"}""", "occurred_at")]
    [InlineData("""{"type":"note_created","occurred_at":"yesterday"}""", "occurred_at")]
    [InlineData("""{"type":"no_such_type"}""", "type")]
    [InlineData("""{"type":"Bad Type"}""", "type")]
    [InlineData("""{}""", "type")]
    [InlineData("""{"type":"note_created","contact_id":"has space"}""", "contact_id")]
    [InlineData("""{"type":"note_created","actor_id":""}""", "actor_id")]
    [InlineData("""{"type":"note_created","tags":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "tags")]
    [InlineData("""{"type":"note_created","channel":"email"}""", "channel")]
    [InlineData("""{"type":"note_created","relation":{"type":"product"}}""", "relation.id")]
    [InlineData("""{"type":"note_created","pinned":true,"pinned_at":"2026-01-02T03:04:05Z"}""", "pinned_at")]
    [InlineData("""{"type":"note_created","file":{"file_filename":"a","file_url":"javascript:alert(1)"}}""", "file.file_url")]
    [InlineData("""{"type":"note_created","attachments":[{"file_filename":"a","file_size":-1}]}""", "attachments[0].file_size")]
    [InlineData("""{"type":"note_created","metadata":[1,2]}""", "metadata")]
    [InlineData("""{"type":"note_created","recipients":["ok","not ok"]}""", "recipients[1]")]
    [InlineData("""{"type":"contact_updated","metadata":{"changes":"everything"}}""", "metadata.changes")]
    [InlineData("""{"type":"contact_updated","metadata":{"changes":[{"old_value":1}]}}""", "metadata.changes[0].key")]
    [InlineData("""{"type":"contact_updated","metadata":{}}""", "metadata.changes")]
    [InlineData("""{"type":"sent_email","metadata":{"counts":{"views":-3}}}""", "metadata.counts.views")]
    [InlineData("""{"type":"opportunity_stage_change","metadata":{"from":"new"}}""", "metadata.to")]
    public async Task InvalidActivityIs400NamingTheField(string body, string field)
    {
        var response = await api.AdminClient().PostActivityAsync(api.OrgId, body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task MetadataTypeFromGeneratedClientsIsAcceptedWhenItMatchesAndNotStored()
    {
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new
        {
            type = "opportunity_stage_change",
            metadata = new { type = "opportunity_stage_change", from = "new", to = "won" },
        });
        Assert.False(created.GetProperty("metadata").TryGetProperty("type", out _));
        Assert.Equal("won", created.GetProperty("metadata").GetProperty("to").GetString());

        var mismatch = await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "call", metadata = new { type = "sent_email" } });
        var problem = await mismatch.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.type", out _), problem.GetRawText());
    }

    [Fact]
    public async Task ActivityIdsSortByCreationTime()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call" })).GetProperty("id").GetString()!);
            await Task.Delay(2, Cancel);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task GettingAnUnknownActivityIs404()
    {
        var response = await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/act_missing", Cancel);
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletingAnActivityIs204ThenItIsGone()
    {
        var id = (await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call" })).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).StatusCode);
        await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.AdminClient().DeleteAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WritingNeedsTheWriteScopeAndReadingTheReadScope()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("activities:read"));
        var writer = api.ClientWithKey(await api.CreateKeyAsync("activities:write"));

        await (await reader.PostActivityAsync(api.OrgId, new { type = "call" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var id = (await writer.CreateActivityAsync(api.OrgId, new { type = "call" })).GetProperty("id").GetString();
        await (await writer.GetAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.GetAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await (await reader.DeleteAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnotherOrgCannotSeeOrDeleteThisOrgsActivity()
    {
        var id = (await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "call" })).GetProperty("id").GetString();
        var other = await api.CreateOrgAsync("Intruder");
        var intruder = api.ClientWithKey(other.ApiKey);
        await (await intruder.GetAsync($"/orgs/{other.OrgId}/activities/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.DeleteAsync($"/orgs/{other.OrgId}/activities/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EveryBuiltInTypeIsAcceptedWithEmptyOrTypedMetadata()
    {
        var types = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activity-types?take=100", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var names = types.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("built_in").GetBoolean()).Select(t => t.GetProperty("type").GetString()!).ToList();
        Assert.Contains("message.sent", names);
        Assert.Contains("opportunity_stage_change", names);
        Assert.True(names.Count >= 10 + 25, $"only {names.Count} built-in types");
        var typed = new Dictionary<string, object>
        {
            ["contact_updated"] = new { changes = new[] { new { key = "name", old_value = "a", new_value = "b" } } },
            ["opportunity_stage_change"] = new { from = "qualified", to = "won" },
            ["sent_email"] = new { subject = "Hi", status = "sent", counts = new { views = 3, replies = 1, clicks = 2 } },
        };
        foreach (var name in names)
        {
            var response = await api.AdminClient().PostActivityAsync(api.OrgId, new { type = name, metadata = typed.GetValueOrDefault(name, new { }) });
            await response.ReadJsonAsync(HttpStatusCode.Created);
        }
    }
}
