using System.Net;
using System.Net.Http.Json;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class ActivityTypesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly object DealSchema = new
    {
        type = "object",
        required = new[] { "amount" },
        properties = new { amount = new { type = "number", minimum = 0 }, currency = new { type = "string", minLength = 3, maxLength = 3 } },
    };

    private Task<HttpResponseMessage> PutTypeAsync(string type, object body, string? key = null) =>
        api.ClientWithKey(key ?? api.AdminKey).PutAsJsonAsync($"/orgs/{api.OrgId}/activity-types/{type}", body, Cancel);

    [Fact]
    public async Task RegisteringATypeIs201AndReplacingItIs200()
    {
        var created = await (await PutTypeAsync("deal.won", new { description = "A deal closed", metadata_schema = DealSchema })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("deal.won", created.GetProperty("type").GetString());
        Assert.False(created.GetProperty("built_in").GetBoolean());
        var replaced = await (await PutTypeAsync("deal.won", new { description = "Closed won", metadata_schema = DealSchema })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Closed won", replaced.GetProperty("description").GetString());

        var fetched = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activity-types/deal.won", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("number", fetched.GetProperty("metadata_schema").GetProperty("properties").GetProperty("amount").GetProperty("type").GetString());
    }

    [Fact]
    public async Task MetadataOfACustomTypeIsCheckedAgainstItsSchema()
    {
        await (await PutTypeAsync("invoice_paid", new { metadata_schema = DealSchema })).ReadJsonAsync(HttpStatusCode.Created);
        await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "invoice_paid", metadata = new { amount = 12.5, currency = "EUR" } });

        var problem = await (await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "invoice_paid", metadata = new { amount = -1, currency = "EURO" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.amount", out _), problem.GetRawText());
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.currency", out _), problem.GetRawText());

        var missing = await (await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "invoice_paid", metadata = new { } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("metadata.amount", out _), missing.GetRawText());
    }

    [Fact]
    public async Task ReplacingASchemaAppliesToTheNextWrite()
    {
        await (await PutTypeAsync("visit.logged", new { metadata_schema = new { type = "object" } })).ReadJsonAsync(HttpStatusCode.Created);
        await api.AdminClient().CreateActivityAsync(api.OrgId, new { type = "visit.logged", metadata = new { } });
        await (await PutTypeAsync("visit.logged", new { metadata_schema = DealSchema })).ReadJsonAsync(HttpStatusCode.OK);
        await (await api.AdminClient().PostActivityAsync(api.OrgId, new { type = "visit.logged", metadata = new { } })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ACustomTypeOfAnotherOrgIsUnknownHere()
    {
        await (await PutTypeAsync("only.here", new { metadata_schema = new { } })).ReadJsonAsync(HttpStatusCode.Created);
        var other = await api.CreateOrgAsync("No custom types");
        var problem = await (await api.ClientWithKey(other.ApiKey).PostActivityAsync(other.OrgId, new { type = "only.here" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("type", out _));
    }

    [Theory]
    [InlineData("contact_updated", "type")]
    [InlineData("Bad.Type", "type")]
    [InlineData("a.", "type")]
    public async Task UnusableTypeNameIs400(string type, string field)
    {
        var problem = await (await PutTypeAsync(type, new { metadata_schema = new { } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"description":"no schema"}""")]
    [InlineData("""{"metadata_schema":"not an object"}""")]
    [InlineData("""{"metadata_schema":{"type":"object","properties":{"a":{"$ref":"#/definitions/missing"}}}}""")]
    public async Task UnusableSchemaIs400(string body)
    {
        var response = await api.AdminClient().PutAsync($"/orgs/{api.OrgId}/activity-types/broken.type", HttpAssertions.Json(body), Cancel);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata_schema", out _), problem.GetRawText());
    }

    [Fact]
    public async Task TheListHoldsBuiltInAndCustomTypesInNameOrderAcrossPages()
    {
        await (await PutTypeAsync("zz.custom", new { metadata_schema = new { } })).ReadJsonAsync(HttpStatusCode.Created);
        var names = new List<string>();
        var page = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activity-types?take=7&include_total=true", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var total = page.GetProperty("total_count").GetInt64();
        while (true)
        {
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!));
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            page = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activity-types?take=7&next={page.GetProperty("next").GetString()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal(total, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("zz.custom", names);
        Assert.Contains("contact_updated", names);
        Assert.Contains("message.sent", names);
    }

    [Fact]
    public async Task BuiltInTypesExposeTheirTypedSchema()
    {
        var type = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activity-types/contact_updated", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(type.GetProperty("built_in").GetBoolean());
        Assert.Equal("invent", type.GetProperty("source").GetString());
        Assert.True(type.GetProperty("metadata_schema").GetProperty("properties").TryGetProperty("changes", out _));
        await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activity-types/nope", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RegisteringNeedsAdminAndReadingNeedsRead()
    {
        var reader = await api.CreateKeyAsync("activities:read");
        await (await PutTypeAsync("reader.try", new { metadata_schema = new { } }, reader)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var writer = api.ClientWithKey(await api.CreateKeyAsync("activities:write"));
        await (await writer.GetAsync($"/orgs/{api.OrgId}/activity-types", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.ClientWithKey(reader).GetAsync($"/orgs/{api.OrgId}/activity-types", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
    }
}
