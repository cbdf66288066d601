using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class OpenApiDocumentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Regenerate with scripts/update-openapi.sh (sets ACTIVITYFEED_UPDATE_OPENAPI=1 and runs this test).</summary>
    [Fact]
    public async Task CommittedDocumentEqualsTheGeneratedOne()
    {
        var generated = await GeneratedDocumentAsync();
        var committedPath = Path.Combine(LocalMachine.RepositoryRoot(), "openapi", "v1.json");
        if (Environment.GetEnvironmentVariable("ACTIVITYFEED_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedPath, generated, Cancel);
        }

        Assert.True(File.Exists(committedPath), "openapi/v1.json is missing: run scripts/update-openapi.sh");
        var committed = await File.ReadAllTextAsync(committedPath, Cancel);
        Assert.True(committed == generated,
            "openapi/v1.json differs from what the server generates: run scripts/update-openapi.sh and commit the result.");
    }

    [Fact]
    public async Task DocumentDeclaresBearerSecurityOnOrgEndpoints()
    {
        var document = JsonNode.Parse(await GeneratedDocumentAsync())!;
        Assert.Equal("http", document["components"]!["securitySchemes"]!["bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        var createKey = document["paths"]!["/orgs/{org_id}/api-keys"]!["post"]!;
        Assert.NotNull(createKey["security"]);
        Assert.Empty(document["paths"]!["/health/live"]!["get"]!["security"]!.AsArray()); // explicitly public
    }

    [Theory]
    [InlineData("/v2/activity_histories", "get", "salesloft")]
    [InlineData("/v1/activities", "get", "topo")]
    [InlineData("/api/company/crm/v202506/activities", "post", "crm")]
    [InlineData("/api/company/crm/v202506/activities/{id}", "patch", "crm")]
    [InlineData("/api/user/crm/v202506/activities", "get", "crm")]
    [InlineData("/api/user/crm/v202506/activities/{id}", "delete", "crm")]
    public async Task SourceDialectOperationsAreTaggedBySource(string path, string method, string tag)
    {
        var document = JsonNode.Parse(await GeneratedDocumentAsync())!;
        var operation = document["paths"]![path]![method]!;
        Assert.Equal([tag], operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.NotNull(operation["security"]);
    }

    [Fact]
    public async Task ActivitiesAreAOneOfDiscriminatedByTheirTypeWithTypedMetadataPerBuiltInType()
    {
        var document = JsonNode.Parse(await GeneratedDocumentAsync())!;
        var schemas = document["components"]!["schemas"]!;
        foreach (var owner in new[] { "ActivityResponse", "InboxItemResponse", "CreateActivityRequest" })
        {
            var union = schemas[owner]!;
            Assert.True(union["oneOf"]!.AsArray().Count > 40);
            Assert.Equal("type", union["discriminator"]!["propertyName"]!.GetValue<string>());
            var contactUpdated = union["discriminator"]!["mapping"]!["contact_updated"]!.GetValue<string>();
            Assert.Equal($"#/components/schemas/ContactUpdated{owner}", contactUpdated);
            var members = schemas[contactUpdated.Split('/')[^1]]!["allOf"]![1]!;
            Assert.Contains("type", members["required"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.Equal("contact_updated", members["properties"]!["type"]!["const"]!.GetValue<string>());
            Assert.Equal("#/components/schemas/ContactUpdatedMetadata", members["properties"]!["metadata"]!["$ref"]!.GetValue<string>());
        }

        Assert.Equal("array", schemas["ContactUpdatedMetadata"]!["properties"]!["changes"]!["type"]!.GetValue<string>());
        Assert.NotNull(schemas["SentEmailMetadata"]!["properties"]!["counts"]!["properties"]!["views"]);
        Assert.NotNull(schemas["OpportunityStageChangeMetadata"]!["properties"]!["from"]);
    }

    [Fact]
    public async Task ProblemsDeclareTraceIdAndPatchBodiesRequireNothing()
    {
        var document = JsonNode.Parse(await GeneratedDocumentAsync())!;
        var schemas = document["components"]!["schemas"]!;
        foreach (var problem in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            Assert.Equal("string", schemas[problem]!["properties"]!["trace_id"]!["type"]!.GetValue<string>());
            Assert.Contains("trace_id", schemas[problem]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        }

        Assert.Null(schemas["ActivityPatchRequest"]!["required"]);
        Assert.Null(schemas["ActivityPatchRequest"]!["properties"]!["metadata"]!["oneOf"]);
        var created = document["paths"]!["/orgs/{org_id}/activities"]!["post"]!["responses"]!["201"]!;
        Assert.True(created["headers"]!["Location"]!["required"]!.GetValue<bool>());
        var unauthorized = document["paths"]!["/orgs/{org_id}/activities"]!["get"]!["responses"]!["401"]!;
        Assert.True(unauthorized["headers"]!["WWW-Authenticate"]!["required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        var response = await api.ClientWithKey(null).GetAsync("/swagger/index.html", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(Cancel), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> GeneratedDocumentAsync()
    {
        var response = await api.ClientWithKey(null).GetAsync("/openapi/v1.json", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Stable formatting, so the committed copy diffs well in review.
        var node = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return node!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
