using System.Net;
using System.Text.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class ActivityPatchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<JsonElement> NewActivityAsync(object? body = null) =>
        await api.AdminClient().CreateActivityAsync(api.OrgId, body ?? new
        {
            type = "contact_updated",
            title = "before",
            description = "kept",
            tags = new[] { "a" },
            relation = new { type = "product", id = "p_1" },
            metadata = new { changes = new[] { new { key = "email", old_value = "a", new_value = "b" } } },
        });

    private async Task<JsonElement> PatchAsync(string id, string json, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, json)).ReadJsonAsync(expected);

    [Fact]
    public async Task PatchingATitleChangesOnlyThatAndMovesUpdatedAt()
    {
        var original = await NewActivityAsync();
        await Task.Delay(5, ActivityClient.Cancel);
        var patched = await PatchAsync(original.GetProperty("id").GetString()!, """{"title":"after"}""");
        Assert.Equal("after", patched.GetProperty("title").GetString());
        Assert.Equal("kept", patched.GetProperty("description").GetString());
        Assert.Equal(original.GetProperty("created_at").GetString(), patched.GetProperty("created_at").GetString());
        Assert.True(string.CompareOrdinal(patched.GetProperty("updated_at").GetString(), original.GetProperty("updated_at").GetString()) > 0);
    }

    [Fact]
    public async Task NullClearsAField()
    {
        var original = await NewActivityAsync();
        var patched = await PatchAsync(original.GetProperty("id").GetString()!, """{"title":null,"tags":null,"relation":null}""");
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("title").ValueKind);
        Assert.Empty(patched.GetProperty("tags").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("relation").ValueKind);
    }

    [Fact]
    public async Task PinningSetsPinnedAtAndUnpinningClearsIt()
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        var pinned = await PatchAsync(id, """{"pinned":true}""");
        Assert.Equal(pinned.GetProperty("updated_at").GetString(), pinned.GetProperty("pinned_at").GetString());
        var unpinned = await PatchAsync(id, """{"pinned":false}""");
        Assert.Equal(JsonValueKind.Null, unpinned.GetProperty("pinned_at").ValueKind);
    }

    [Fact]
    public async Task APatchThatChangesNothingKeepsUpdatedAt()
    {
        var original = await NewActivityAsync();
        var patched = await PatchAsync(original.GetProperty("id").GetString()!, """{"title":"before","metadata":{}}""");
        Assert.Equal(original.GetProperty("updated_at").GetString(), patched.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task MetadataIsMergedThenCheckedAgainstTheTypesSchema()
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        var patched = await PatchAsync(id, """{"metadata":{"reviewed":true}}""");
        Assert.True(patched.GetProperty("metadata").GetProperty("reviewed").GetBoolean());
        Assert.Equal("email", patched.GetProperty("metadata").GetProperty("changes")[0].GetProperty("key").GetString());

        var problem = await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, """{"metadata":{"changes":null}}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.changes", out _), problem.GetRawText());
    }

    [Fact]
    public async Task RelationIsMergedMemberByMember()
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        var patched = await PatchAsync(id, """{"relation":{"id":"p_2"}}""");
        Assert.Equal("product", patched.GetProperty("relation").GetProperty("type").GetString());
        Assert.Equal("p_2", patched.GetProperty("relation").GetProperty("id").GetString());
    }

    [Fact]
    public async Task FormattedDescriptionIsSanitisedOnPatchToo()
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        var patched = await PatchAsync(id, """{"formatted_description":"<b>ok</b><script>alert(1)</script>"}""");
        Assert.Equal("<b>ok</b>", patched.GetProperty("formatted_description").GetString());
    }

    [Theory]
    [InlineData("""{"type":"call"}""", "type")]
    [InlineData("""{"id":"act_x"}""", "id")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z"}""", "created_at")]
    [InlineData("""{"contact_id":"c_2"}""", "contact_id")]
    [InlineData("""{"colour":"red"}""", "colour")]
    [InlineData("""{"title":5}""", "title")]
    [InlineData("""{"pinned":"yes"}""", "pinned")]
    [InlineData("""{"tags":["ok",""]}""", "tags")]
    [InlineData("""{"relation":{"type":"Bad Type"}}""", "relation.type")]
    [InlineData("""[1]""", "body")]
    public async Task InvalidPatchIs400NamingTheField(string json, string field)
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        var problem = await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, json)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task PlainJsonContentTypeIsAcceptedAndOthersAre415()
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, """{"comment":"x"}""", "application/json")).ReadJsonAsync(HttpStatusCode.OK);
        await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, """{"comment":"x"}""", "text/plain")).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task MalformedPatchJsonIs400()
    {
        var id = (await NewActivityAsync()).GetProperty("id").GetString()!;
        await (await api.AdminClient().PatchActivityAsync(api.OrgId, id, """{"title": """)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PatchingAnUnknownActivityIs404()
    {
        await (await api.AdminClient().PatchActivityAsync(api.OrgId, "act_missing", """{"title":"x"}""")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
