namespace ActivityFeed.Api.Webhooks;

/// <summary><c>ActivityFeed:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "ActivityFeed:Webhooks";

    /// <summary>Lets webhooks reach loopback addresses (127.0.0.0/8, ::1): development and tests. Private and link-local stay refused.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>A receiver must answer 2xx within this long (the contract says 10 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after each failed attempt; the last repeats. Each wait is jittered by ±20%.</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromHours(1), TimeSpan.FromHours(6),
    ];

    /// <summary>No attempt starts later than this after the event: the delivery is <c>failed</c> then.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each process looks for due retries and for changes it was not told of.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in flight in one process, over all receivers.</summary>
    public int MaxConcurrentAttempts { get; set; } = 64;

    /// <summary>Attempts in flight in one process to one webhook, so a slow receiver holds only its own slots.</summary>
    public int MaxConcurrentAttemptsPerWebhook { get; set; } = 8;

    /// <summary>Turns off the background delivery worker in this process (it still accepts registrations).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    public IReadOnlyList<TimeSpan> Delays => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    /// <summary>
    /// How long a claim owns its deliveries. A process claims up to four rounds of a webhook's
    /// concurrency at once and starts an attempt only while its whole timeout still fits in the
    /// lease (the rest go back unattempted), so no delivery is ever attempted by two processes. A
    /// process that dies leaves its claimed deliveries due again once this ends.
    /// </summary>
    public TimeSpan Lease => AttemptTimeout * 3 + TimeSpan.FromSeconds(5);

    /// <summary>Deliveries one claim takes for one webhook: four rounds of its concurrency.</summary>
    public int ClaimBatch => MaxConcurrentAttemptsPerWebhook * 4;
}
