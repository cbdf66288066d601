using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using StandardWebhooks;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// Claims due deliveries and makes one attempt at each. A claim takes rows with
/// <c>FOR UPDATE SKIP LOCKED</c> and leases them (next_attempt_at moves past the attempt's end and
/// attempts counts it), so any number of processes share the work and no delivery is attempted by
/// two at once; the result is written only if the lease is still this attempt's (attempts
/// unchanged), so a process that stalled past its lease cannot overwrite a newer attempt.
/// </summary>
public sealed class WebhookSender(IServiceScopeFactory scopes, IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";
    private const int MaxErrorLength = 500;

    public sealed record DueWebhook(string OrgId, string WebhookId);

    public sealed record Claimed(
        string OrgId, string Id, string WebhookId, string EventId, string Payload, int Attempt, DateTimeOffset GiveUpAt, string Url, string Secret, DateTimeOffset LeaseEnd);

    private WebhookOptions Options => options.Value;

    // Both of these look across orgs: definer functions (see the RowLevelSecurity migration).

    /// <summary>Marks failed the pending deliveries whose retry window has closed (a webhook disabled for longer than it, say).</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var now = clock.GetUtcNow();
        return (await db.Database.SqlQuery<int>($"SELECT activityfeed_expire_webhook_deliveries({now}) AS \"Value\"")
            .ToListAsync(cancellationToken)).Single(); // data-modifying: not wrapped, so no SingleAsync
    }

    /// <summary>Enabled webhooks that have deliveries due now.</summary>
    public async Task<IReadOnlyList<DueWebhook>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT org_id, webhook_id FROM activityfeed_due_webhooks(@now, @max)", (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("max", limit);
        var due = new List<DueWebhook>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueWebhook(reader.GetString(0), reader.GetString(1)));
        }

        return due;
    }

    /// <summary>Leases up to <paramref name="max"/> of one webhook's due deliveries, oldest due first.</summary>
    public async Task<IReadOnlyList<Claimed>> ClaimAsync(DueWebhook webhook, int max, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var now = clock.GetUtcNow();
        var leaseEnd = now + Options.Lease;
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            WITH due AS (
                SELECT org_id, id FROM webhook_deliveries
                WHERE org_id = @org AND webhook_id = @webhook AND status = 'pending' AND next_attempt_at <= @now
                ORDER BY next_attempt_at
                LIMIT @max
                FOR UPDATE SKIP LOCKED)
            UPDATE webhook_deliveries AS d
            SET attempts = d.attempts + 1, next_attempt_at = @lease_end
            FROM due, webhooks AS w
            WHERE d.org_id = due.org_id AND d.id = due.id
              AND w.org_id = d.org_id AND w.id = d.webhook_id AND w.disabled_at IS NULL
            RETURNING d.id, d.event_id, d.payload, d.attempts, d.give_up_at, w.url, w.secret
            """, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("org", webhook.OrgId);
        command.Parameters.AddWithValue("webhook", webhook.WebhookId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("max", max);
        command.Parameters.AddWithValue("lease_end", leaseEnd);
        OrgScope.Apply(command, webhook.OrgId); // ADO.NET beneath EF: no interceptor sets it
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Claimed(webhook.OrgId, reader.GetString(0), webhook.WebhookId, reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetString(6), leaseEnd));
        }

        return claimed;
    }

    /// <summary>True while an attempt started now would end (timeout included) inside the claim's lease.</summary>
    public bool FitsInLease(Claimed delivery) => clock.GetUtcNow() + Options.AttemptTimeout + TimeSpan.FromSeconds(2) < delivery.LeaseEnd;

    /// <summary>Gives a claimed delivery back unattempted (its lease would end mid-attempt, or the process is stopping): due now, its attempt uncounted.</summary>
    public async Task ReleaseAsync(Claimed delivery, CancellationToken cancellationToken)
    {
        using var orgScope = OrgScope.Enter(delivery.OrgId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var now = clock.GetUtcNow();
        await db.WebhookDeliveries
            .Where(d => d.OrgId == delivery.OrgId && d.Id == delivery.Id && d.Status == DeliveryStatus.Pending && d.Attempts == delivery.Attempt)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, d => d.Attempts - 1).SetProperty(d => d.NextAttemptAt, now), cancellationToken);
    }

    /// <summary>
    /// POSTs the delivery's body, signed as Standard Webhooks says, and records the answer. When the
    /// process is stopping the attempt is abandoned unrecorded: its lease runs out and any process retries it.
    /// </summary>
    public async Task AttemptAsync(Claimed delivery, CancellationToken stopping)
    {
        int? status = null;
        string? error = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(Options.AttemptTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url);
            request.Content = new StringContent(delivery.Payload, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var timestamp = clock.GetUtcNow();
            request.Headers.Add("webhook-id", delivery.EventId);
            request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", new StandardWebhook(delivery.Secret).Sign(delivery.EventId, timestamp, delivery.Payload));
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            await DrainAsync(response, timeout.Token);
            if (status is < 200 or > 299)
            {
                error = status is >= 300 and < 400
                    ? $"HTTP {status}: redirects are not followed; register the final URL"
                    : $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            error = $"no answer within {Options.AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (HttpRequestException exception)
        {
            error = exception.InnerException switch
            {
                WebhookAddressRefusedException refused => refused.Message,
                { } inner when !exception.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{exception.Message} ({inner.Message})",
                _ => exception.Message,
            };
        }

        await RecordAsync(delivery, status, error, CancellationToken.None);
    }

    /// <summary>
    /// Reads (and drops) up to 64 KiB of the answer, so a keep-alive connection goes back to the
    /// pool; a longer or slower body is cut off: only the status counts.
    /// </summary>
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[8192];
            long read = 0;
            int chunk;
            while (read < 65536 && (chunk = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                read += chunk;
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status line already answered; the connection is simply not reused.
        }
    }

    private async Task RecordAsync(Claimed delivery, int? status, string? error, CancellationToken cancellationToken)
    {
        using var orgScope = OrgScope.Enter(delivery.OrgId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var now = Infrastructure.Json.Timestamps.Truncate(clock.GetUtcNow());
        var mine = db.WebhookDeliveries.Where(d =>
            d.OrgId == delivery.OrgId && d.Id == delivery.Id && d.Status == DeliveryStatus.Pending && d.Attempts == delivery.Attempt);
        if (error is null)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Succeeded)
                .SetProperty(d => d.LastStatusCode, status)
                .SetProperty(d => d.LastError, (string?)null)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.DeliveredAt, now), cancellationToken);
            return;
        }

        error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        var next = now + RetryDelay(delivery.Attempt);
        var givingUp = next > delivery.GiveUpAt;
        await mine.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, givingUp ? DeliveryStatus.Failed : DeliveryStatus.Pending)
            .SetProperty(d => d.LastStatusCode, status)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.NextAttemptAt, givingUp ? null : next), cancellationToken);
    }

    /// <summary>The wait after the <paramref name="attempt"/>th failure (1-based), ±20% so receivers that failed together do not retry together.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var delays = Options.Delays;
        var delay = delays[Math.Clamp(attempt - 1, 0, delays.Count - 1)];
        return delay * (0.8 + (0.4 * Random.Shared.NextDouble()));
    }
}
