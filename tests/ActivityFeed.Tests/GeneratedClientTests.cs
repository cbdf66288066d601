using System.Diagnostics;
using ActivityFeed.Client;
using ActivityFeed.Client.Models;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace ActivityFeed.Tests;

/// <summary>
/// The clients generated from openapi/v1.json (clients/, by scripts/generate-clients.sh) driven
/// against the live server through a validating proxy: each walk must pass, and every answer it
/// got must match the document (status, body, headers), or the test fails.
/// </summary>
public sealed class GeneratedClientTests(ValidatedServer api) : IClassFixture<ValidatedServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheCSharpClientCreatesListsPagesAndReadsErrorsAndEveryAnswerMatchesTheDocument()
    {
        var mark = api.Proxy.Mark();
        var client = Client(api.AdminKey);
        var org = client.Orgs[api.OrgId];
        var contactId = $"c_cs_{Guid.NewGuid():N}"[..16];

        // Create, typed by its type: the sent_email variant with its metadata.
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var key = Guid.NewGuid().ToString();
        var created = (await org.Activities.PostAsync(new CreateActivityRequest
        {
            SentEmailCreateActivityRequest = new SentEmailCreateActivityRequest
            {
                Type = "sent_email",
                ContactId = contactId,
                Title = "Quarterly update",
                Metadata = new SentEmailMetadata { Subject = "Q3", Counts = new SentEmailMetadata_counts { Views = 3, Replies = 1 } },
            },
        }, config =>
        {
            config.Headers.Add("Idempotency-Key", key);
            config.Options.Add(headers);
        }, Cancel))!.SentEmailActivityResponse;
        Assert.NotNull(created);
        Assert.Equal(3, created.Metadata!.Counts!.Views);
        Assert.Equal($"/orgs/{api.OrgId}/activities/{created.Id}", Assert.Single(headers.ResponseHeaders["Location"]));

        var replayHeaders = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var replayed = await org.Activities.PostAsync(new CreateActivityRequest
        {
            SentEmailCreateActivityRequest = new SentEmailCreateActivityRequest { Type = "sent_email", ContactId = contactId, Title = "Quarterly update", Metadata = new SentEmailMetadata { Subject = "Q3", Counts = new SentEmailMetadata_counts { Views = 3, Replies = 1 } } },
        }, config =>
        {
            config.Headers.Add("Idempotency-Key", key);
            config.Options.Add(replayHeaders);
        }, Cancel);
        Assert.Equal(created.Id, replayed!.SentEmailActivityResponse!.Id);
        Assert.Equal("true", Assert.Single(replayHeaders.ResponseHeaders["Idempotency-Replayed"]));

        // A batch of another type, read back through its own variant.
        var batch = await org.Activities.Batch.PostAsync(new CreateActivitiesBatchRequest
        {
            Activities = [.. Enumerable.Range(1, 5).Select(n => new CreateActivityRequest
            {
                ContactUpdatedCreateActivityRequest = new ContactUpdatedCreateActivityRequest
                {
                    Type = "contact_updated",
                    ContactId = contactId,
                    Title = $"change {n}",
                    Metadata = new ContactUpdatedMetadata { Changes = [new ContactUpdatedMetadata_changes { Key = "email", NewValue = new UntypedString($"b{n}@x") }] },
                },
            })],
        }, cancellationToken: Cancel);
        var items = batch!.Items!.Select(item => item.ContactUpdatedActivityResponse!).ToList();
        Assert.Equal(5, items.Count);
        Assert.All(items, item => Assert.Equal("email", Assert.Single(item.Metadata!.Changes!).Key));

        var got = await org.Activities[items[0].Id].GetAsync(cancellationToken: Cancel);
        Assert.Equal("change 1", got!.ContactUpdatedActivityResponse!.Title);

        var pinned = await org.Activities[items[0].Id].PatchAsync(new ActivityPatchRequest { Pinned = true }, cancellationToken: Cancel);
        Assert.NotNull(pinned!.ContactUpdatedActivityResponse!.PinnedAt);

        // The filtered list, walked by `next` to its end.
        var seen = new List<string>();
        var page = await org.Activities.GetAsync(config =>
        {
            config.QueryParameters.Type = ["contact_updated"];
            config.QueryParameters.ContactId = contactId;
            config.QueryParameters.Take = 2;
        }, Cancel);
        while (true)
        {
            seen.AddRange(page!.Items!.Select(item => item.ContactUpdatedActivityResponse!.Id!));
            if (page.Next is null)
            {
                Assert.False(page.HasMore);
                break;
            }

            var next = page.Next;
            page = await org.Activities.GetAsync(config => config.QueryParameters.Next = next, Cancel);
        }

        Assert.Equal(items.Select(item => item.Id).OrderDescending(StringComparer.Ordinal), seen);

        var timeline = await org.Contacts[contactId].Activities.GetAsync(config =>
        {
            config.QueryParameters.Pinned = true;
            config.QueryParameters.IncludeTotal = true;
        }, Cancel);
        Assert.Equal(1, timeline!.TotalCount);

        await org.Activities[items[0].Id].DeleteAsync(cancellationToken: Cancel);
        var gone = await Assert.ThrowsAsync<ProblemDetails>(() => org.Activities[items[0].Id].GetAsync(cancellationToken: Cancel));
        Assert.Equal(404, gone.ResponseStatusCode);
        Assert.Matches("^[0-9a-f]{32}$", gone.TraceId);

        // A batch valid by the document but not by the server (a contact id with characters ids may not have).
        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => org.Activities.Batch.PostAsync(new CreateActivitiesBatchRequest
        {
            Activities =
            [
                new CreateActivityRequest { SentEmailCreateActivityRequest = new SentEmailCreateActivityRequest { Type = "sent_email" } },
                new CreateActivityRequest { MessageSentCreateActivityRequest = new MessageSentCreateActivityRequest { Type = "message.sent", ContactId = "not an id!" } },
            ],
        }, cancellationToken: Cancel));
        Assert.Equal(400, invalid.ResponseStatusCode);
        Assert.NotEmpty(invalid.Errors!.AdditionalData);

        var refused = await Assert.ThrowsAsync<ProblemDetails>(() => Client("afk.not-a-key").Orgs[api.OrgId].Activities.GetAsync(cancellationToken: Cancel));
        Assert.Equal(401, refused.ResponseStatusCode);

        await api.AssertEveryAnswerValidatedAsync(mark, expected: 12, walk: "C# (Kiota)");
    }

    [Fact]
    public async Task TheTypeScriptClientCreatesListsPagesAndReadsErrorsAndEveryAnswerMatchesTheDocument()
    {
        var mark = api.Proxy.Mark();
        var package = Path.Combine(LocalMachine.RepositoryRoot(), "clients", "typescript");
        Assert.True(Directory.Exists(Path.Combine(package, "node_modules")), "Run `npm ci` in clients/typescript first (scripts/test.sh does).");
        var start = new ProcessStartInfo("npm", ["test", "--silent"])
        {
            WorkingDirectory = package,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ACTIVITYFEED_URL"] = api.Proxy.Url;
        start.Environment["ACTIVITYFEED_ORG"] = api.OrgId;
        start.Environment["ACTIVITYFEED_KEY"] = api.AdminKey;
        using var npm = Process.Start(start)!;
        var output = npm.StandardOutput.ReadToEndAsync(Cancel);
        var errors = npm.StandardError.ReadToEndAsync(Cancel);
        await npm.WaitForExitAsync(Cancel);
        Assert.True(npm.ExitCode == 0, $"The TypeScript walk failed (npm test, exit {npm.ExitCode}):\n{await output}\n{await errors}");

        await api.AssertEveryAnswerValidatedAsync(mark, expected: 15, walk: "TypeScript (openapi-fetch)");
    }

    /// <summary>Kiota's own API-key provider refuses plain http, so the key rides on the HttpClient (Kiota's middleware kept).</summary>
    private ActivityFeedApiClient Client(string key)
    {
        var http = KiotaClientFactory.Create();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return new ActivityFeedApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = api.Proxy.Url });
    }
}
