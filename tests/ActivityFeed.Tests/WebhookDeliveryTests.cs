using System.Net;
using ActivityFeed.Tests.Infrastructure;
using StandardWebhooks;

namespace ActivityFeed.Tests;

/// <summary>§9 delivery: signed bodies, retries with one webhook-id, filters, events, disabling, the deliveries list.</summary>
public sealed class WebhookDeliveryTests(WebhookFactory api) : IClassFixture<WebhookFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACreatedActivityArrivesSignedAndTheStandardWebhooksVerifierAcceptsIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = api.AdminClient();
        await client.PutAsync($"/orgs/{api.OrgId}/users/u_sig", HttpAssertions.Json("""{"name": "Signe"}"""), Cancel);
        var webhook = await client.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { actor_id = "u_sig" } });
        var activity = await client.CreateActivityAsync(api.OrgId, new { type = "call", title = "signed", actor_id = "u_sig" });

        var received = await receiver.NextAsync();
        new StandardWebhook(webhook.GetProperty("secret").GetString()!).Verify(received.Body, received.Headers);
        Assert.Equal("application/json", received.Headers["Content-Type"].ToString());
        Assert.StartsWith("evt_", received.WebhookId);
        var body = received.Json;
        Assert.Equal("activity.created", body.GetProperty("type").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", body.GetProperty("timestamp").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(activity.GetProperty("id").GetString(), data.GetProperty("id").GetString());
        Assert.Equal("signed", data.GetProperty("title").GetString());
        Assert.Equal("Signe", data.GetProperty("actor").GetProperty("name").GetString()); // enriched, as reads are

        var tampered = new StandardWebhook(webhook.GetProperty("secret").GetString()!);
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => tampered.Verify(received.Body.Replace("signed", "forged"), received.Headers));

        var deliveries = await client.DeliveriesWhenAsync(api.OrgId, webhook.GetProperty("id").GetString()!, d => d.Count == 1 && d[0].GetProperty("status").GetString() == "succeeded");
        var delivery = deliveries[0];
        Assert.Equal(received.WebhookId, delivery.GetProperty("event_id").GetString());
        Assert.Equal("activity.created", delivery.GetProperty("event_type").GetString());
        Assert.Equal(activity.GetProperty("id").GetString(), delivery.GetProperty("activity_id").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("last_status_code").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, delivery.GetProperty("last_error").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, delivery.GetProperty("delivered_at").ValueKind);
    }

    [Fact]
    public async Task AReceiverThatFailsTwiceThenAnswers200GetsThreeAttemptsWithOneWebhookId()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, _) => Task.FromResult(n <= 2 ? 503 : 200));
        var client = api.AdminClient();
        var webhook = await client.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_retry" } });
        await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_retry", title = "third time lucky" });

        var attempts = new[] { await receiver.NextAsync(), await receiver.NextAsync(), await receiver.NextAsync() };
        Assert.Single(attempts.Select(a => a.WebhookId).Distinct());
        Assert.Single(attempts.Select(a => a.Body).Distinct()); // the same bytes every time; only the timestamp and signature move
        var secret = webhook.GetProperty("secret").GetString()!;
        foreach (var attempt in attempts)
        {
            new StandardWebhook(secret).Verify(attempt.Body, attempt.Headers);
        }

        var delivery = Assert.Single(await client.DeliveriesWhenAsync(api.OrgId, webhook.GetProperty("id").GetString()!,
            d => d.Count == 1 && d[0].GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("last_status_code").GetInt32());
        await Task.Delay(1000, Cancel); // past every retry delay: nothing more comes
        Assert.Equal(3, receiver.All.Count);
    }

    [Fact]
    public async Task AFailingReceiverShowsItsStatusAndErrorAndTheNextAttemptWhilePending()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(500));
        var client = api.AdminClient();
        var webhook = await client.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_fails" } });
        await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_fails" });

        var delivery = Assert.Single(await client.DeliveriesWhenAsync(api.OrgId, webhook.GetProperty("id").GetString()!,
            d => d.Count == 1 && d[0].GetProperty("attempts").GetInt32() >= 2 && d[0].GetProperty("last_status_code").ValueKind == System.Text.Json.JsonValueKind.Number));
        Assert.Equal("pending", delivery.GetProperty("status").GetString());
        Assert.Equal(500, delivery.GetProperty("last_status_code").GetInt32());
        Assert.StartsWith("HTTP 500", delivery.GetProperty("last_error").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
    }

    [Fact]
    public async Task ARedirectIsNotFollowedAndCountsAsAFailedAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(307));
        var client = api.AdminClient();
        var webhook = await client.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_redirect" } });
        await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_redirect" });

        var delivery = Assert.Single(await client.DeliveriesWhenAsync(api.OrgId, webhook.GetProperty("id").GetString()!,
            d => d.Count == 1 && d[0].GetProperty("last_status_code").ValueKind == System.Text.Json.JsonValueKind.Number));
        Assert.Equal(307, delivery.GetProperty("last_status_code").GetInt32());
        Assert.Contains("redirects are not followed", delivery.GetProperty("last_error").GetString());
        Assert.Equal("pending", delivery.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AWebhookWhoseFiltersDoNotMatchSendsNothing()
    {
        await using var filtered = await WebhookReceiver.StartAsync();
        await using var everything = await WebhookReceiver.StartAsync();
        var client = api.AdminClient();
        var quiet = await client.CreateWebhookAsync(api.OrgId, new { url = filtered.Url, filters = new { type = new[] { "meeting" }, contact_id = "c_filter" } });
        await client.CreateWebhookAsync(api.OrgId, new { url = everything.Url, filters = new { contact_id = "c_filter" } });

        await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_filter" });
        await everything.NextAsync(); // both webhooks were matched in the same fan-out
        Assert.Empty(filtered.All);
        Assert.Empty(await client.DeliveriesAsync(api.OrgId, quiet.GetProperty("id").GetString()!));

        await client.CreateActivityAsync(api.OrgId, new { type = "meeting", contact_id = "c_filter" });
        Assert.Equal("meeting", (await filtered.NextAsync()).Json.GetProperty("data").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ADisabledWebhookSendsNothingAndWhatHappenedMeanwhileIsNotSentWhenReEnabled()
    {
        await using var paused = await WebhookReceiver.StartAsync();
        await using var sentinel = await WebhookReceiver.StartAsync();
        var client = api.AdminClient();
        var webhook = await client.CreateWebhookAsync(api.OrgId, new { url = paused.Url, filters = new { contact_id = "c_pause" } });
        var id = webhook.GetProperty("id").GetString()!;
        await client.CreateWebhookAsync(api.OrgId, new { url = sentinel.Url, filters = new { contact_id = "c_pause" } });
        await (await client.PatchWebhookAsync(api.OrgId, id, """{"disabled": true}""")).ReadJsonAsync(HttpStatusCode.OK);

        await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_pause", title = "while disabled" });
        await sentinel.NextAsync();
        Assert.Empty(paused.All);

        await (await client.PatchWebhookAsync(api.OrgId, id, """{"disabled": false}""")).ReadJsonAsync(HttpStatusCode.OK);
        await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_pause", title = "after enabling" });
        Assert.Equal("after enabling", (await paused.NextAsync()).Json.GetProperty("data").GetProperty("title").GetString());
        await sentinel.NextAsync();
        Assert.Single(paused.All);
    }

    [Fact]
    public async Task UpdatesAndDeletesArriveOnlyWhenSubscribedAndADeleteMatchesByTheLastState()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = api.AdminClient();
        await client.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, events = new[] { "activity.updated", "activity.deleted" }, filters = new { contact_id = "c_life" } });
        var activity = await client.CreateActivityAsync(api.OrgId, new { type = "note", contact_id = "c_life", title = "v1" });
        var id = activity.GetProperty("id").GetString()!;
        await (await client.PatchActivityAsync(api.OrgId, id, """{"title": "v2"}""")).ReadJsonAsync(HttpStatusCode.OK);

        var updated = (await receiver.NextAsync()).Json; // the create was not subscribed to
        Assert.Equal("activity.updated", updated.GetProperty("type").GetString());
        Assert.Equal("v2", updated.GetProperty("data").GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/orgs/{api.OrgId}/activities/{id}", Cancel)).StatusCode);
        var deleted = (await receiver.NextAsync()).Json;
        Assert.Equal("activity.deleted", deleted.GetProperty("type").GetString());
        Assert.Equal($$"""{"id":"{{id}}"}""", deleted.GetProperty("data").GetRawText());
        Assert.Equal(2, receiver.All.Count);
    }

    [Fact]
    public async Task DeliveriesAreListedNewestFirstAndPageByNext()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = api.AdminClient();
        var webhook = await client.CreateWebhookAsync(api.OrgId, new { url = receiver.Url, filters = new { contact_id = "c_paged" } });
        var id = webhook.GetProperty("id").GetString()!;
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await client.CreateActivityAsync(api.OrgId, new { type = "call", contact_id = "c_paged" })).GetProperty("id").GetString()!);
        }

        await client.DeliveriesWhenAsync(api.OrgId, id, d => d.Count == 5);
        var first = await (await client.GetAsync($"/orgs/{api.OrgId}/webhooks/{id}/deliveries?take=2", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var walked = (await client.DeliveriesAsync(api.OrgId, id)).Select(d => d.GetProperty("activity_id").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(created), walked);
        Assert.Equal(walked.Take(2), first.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("activity_id").GetString()));
        await (await client.GetAsync($"/orgs/{api.OrgId}/webhooks/{id}/deliveries?status=x", Cancel)).ReadJsonAsync(HttpStatusCode.BadRequest);
    }
}
