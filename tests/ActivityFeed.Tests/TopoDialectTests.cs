using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>Topo's GET /v1/activities: its item and envelope, every parameter, offset paging with totals.</summary>
public sealed class TopoDialectTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/v1/activities";
    private const string Uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Event(string type, string label, string? person = null, string? sequence = null, string? template = null, string? channel = null) =>
        new { type, title = label, contact_id = person, channel, metadata = new { sequence_id = sequence, sequence_template_id = template, message_id = label } };

    /// <summary>Each item's label (stored as metadata.message_id, so it shows in the payload).</summary>
    private static List<string?> Labels(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("payload").GetProperty("messageId").GetString()).ToList();

    /// <summary>Written one request at a time, so created_at follows the order given (oldest first).</summary>
    private async Task<(HttpClient Client, string OrgId)> OrgAsync(string name, params object[] events)
    {
        var (client, org) = await api.SeededOrgAsync(name);
        foreach (var e in events)
        {
            await client.CreateActivityAsync(org, e);
        }

        return (client, org);
    }

    [Fact]
    public async Task TheSourceDocumentsItemComesBackWithExactlyItsMembersAndTypes()
    {
        var (client, _) = await OrgAsync("Topo item", new
        {
            type = "message.sent",
            contact_id = Uuid,
            metadata = new
            {
                organization_id = Uuid, sequence_id = Uuid, sequence_template_id = Uuid, message_id = Uuid,
                hot_lead_id = Uuid, calendar_event_id = Uuid, task_id = Uuid,
            },
        });
        var page = await client.GetJsonAsync(Path);
        page.AssertMembers("items", "total_count", "total_pages", "has_more");
        Assert.Equal(1, page.GetProperty("total_count").GetInt32());
        Assert.Equal(1, page.GetProperty("total_pages").GetInt32());
        Assert.False(page.GetProperty("has_more").GetBoolean());
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        item.AssertMembers("id", "created_at", "payload");
        Assert.StartsWith("act_", item.GetProperty("id").GetString());
        item.GetProperty("created_at").AssertTimestamp();
        var payload = item.GetProperty("payload");
        payload.AssertMembers("organizationId", "personId", "sequenceId", "sequenceTemplateId", "messageId", "hotLeadId", "calendarEventId", "taskId", "type");
        foreach (var member in payload.EnumerateObject().Where(m => m.Name != "type"))
        {
            Assert.Equal(Uuid, member.Value.GetString());
        }

        Assert.Equal("message.sent", payload.GetProperty("type").GetString());
    }

    [Fact]
    public async Task IdsAbsentFromAnActivityAreNullInItsPayload()
    {
        var (client, _) = await OrgAsync("Topo nulls", new { type = "task.created" });
        var payload = (await client.GetJsonAsync(Path)).GetProperty("items")[0].GetProperty("payload");
        Assert.All(payload.EnumerateObject().Where(m => m.Name != "type"), m => Assert.Equal(JsonValueKind.Null, m.Value.ValueKind));
    }

    [Fact]
    public async Task EveryQueryParameterFiltersOrSortsAsTopoDescribes()
    {
        var (client, _) = await OrgAsync("Topo filters",
            Event("message.sent", "A", person: "p1", sequence: "s1", template: "t1", channel: "EMAIL"),
            Event("message.replied", "B", person: "p1", sequence: "s1", template: "t1", channel: "EMAIL"),
            Event("invitation.sent", "C", person: "p2", sequence: "s2", template: "t1", channel: "LINKEDIN"),
            Event("task.completed", "D", person: "p2", channel: "MANUAL"),
            Event("sequence_step.completed", "E", sequence: "s2"));
        var all = await client.GetJsonAsync($"{Path}?sort_order=asc");
        var createdOfB = all.GetProperty("items")[1].GetProperty("created_at").GetString();
        var createdOfD = all.GetProperty("items")[3].GetProperty("created_at").GetString();
        var cases = new Dictionary<string, string[]>
        {
            [""] = ["E", "D", "C", "B", "A"],
            ["sort_by=created_at&sort_order=asc"] = ["A", "B", "C", "D", "E"],
            ["sort_order=DESC"] = ["E", "D", "C", "B", "A"],
            ["person_id=p1"] = ["B", "A"],
            ["sequence_id=s2"] = ["E", "C"],
            ["sequence_template_id=t1"] = ["C", "B", "A"],
            ["sequence_id=s1&sequence_template_id=t1"] = ["B", "A"],
            ["resource_type=MESSAGE"] = ["B", "A"],
            ["resource_type=MESSAGE&event_type=SENT"] = ["A"],
            ["event_type=SENT"] = ["C", "A"],
            ["event_type=COMPLETED"] = ["E", "D"],
            ["resource_type=SEQUENCE_STEP"] = ["E"],
            ["resource_type=HOT_LEAD&event_type=SENT"] = [],
            ["channel=EMAIL"] = ["B", "A"],
            ["channel=LINKEDIN"] = ["C"],
            [$"created_at_after={createdOfB}"] = ["E", "D", "C"],
            [$"created_at_before={createdOfD}"] = ["C", "B", "A"],
            [$"created_at_after={createdOfB}&created_at_before={createdOfD}"] = ["C"],
        };
        foreach (var (query, expected) in cases)
        {
            Assert.True(expected.SequenceEqual(Labels(await client.GetJsonAsync($"{Path}?{query}"))), query);
        }
    }

    [Fact]
    public async Task PagingIsRightOnTheFirstAMiddleAndTheLastPage()
    {
        var (client, _) = await OrgAsync("Topo paging", [.. Enumerable.Range(1, 5).Select(i => Event("message.sent", $"{i}"))]);
        var expected = new[] { (1, new[] { "5", "4" }, true), (2, ["3", "2"], true), (3, ["1"], false) };
        foreach (var (page, labels, hasMore) in expected)
        {
            var body = await client.GetJsonAsync($"{Path}?size=2&page={page}");
            Assert.Equal(labels, Labels(body));
            Assert.Equal(hasMore, body.GetProperty("has_more").GetBoolean());
            Assert.Equal(5, body.GetProperty("total_count").GetInt64());
            Assert.Equal(3, body.GetProperty("total_pages").GetInt32());
        }

        Assert.Equal(5, (await client.GetJsonAsync(Path)).GetProperty("items").GetArrayLength()); // size defaults to 10
    }

    [Fact]
    public async Task AnUnknownQueryParameterIsIgnored()
    {
        var (client, _) = await OrgAsync("Topo unknown", Event("message.sent", "A"));
        Assert.Equal(["A"], Labels(await client.GetJsonAsync($"{Path}?limit=3&whatever")));
    }

    [Theory]
    [InlineData("size=0", "size")]
    [InlineData("size=101", "size")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("sort_by=occurred_at", "sort_by")]
    [InlineData("sort_order=sideways", "sort_order")]
    [InlineData("resource_type=EMAIL", "resource_type")]
    [InlineData("channel=SMS", "channel")]
    [InlineData("event_type=DELETED", "event_type")]
    [InlineData("created_at_after=yesterday", "created_at_after")]
    [InlineData("created_at_before=2026-01-01", "created_at_before")]
    [InlineData("person_id=a%20b", "person_id")]
    public Task ABadValueOfAKnownParameterIsAProblemNamingIt(string query, string parameter) =>
        api.AdminClient().AssertBadParameterAsync($"{Path}?{query}", parameter);

    [Fact]
    public async Task AUserTokenReadsItsOrgsActivitiesAndNoTokenIsA401()
    {
        var (client, org) = await OrgAsync("Topo user token", Event("message.sent", "A"));
        var token = await client.MintUserTokenAsync(org, "u1");
        Assert.Equal(["A"], Labels(await api.ClientWithKey(token).GetJsonAsync(Path)));
        await (await api.ClientWithKey(null).GetAsync(Path, Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
