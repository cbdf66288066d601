namespace ActivityFeed.Api.Webhooks;

/// <summary>A registered receiver of an org's change events.</summary>
public sealed class Webhook
{
    public required string OrgId { get; init; }
    public required string Id { get; init; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>Event kinds as the change log names them (created, updated, deleted), in that order.</summary>
    public required string[] Events { get; set; }

    /// <summary>The feed filters in their canonical text form (what a cursor stores), as a JSON object.</summary>
    public required string Filters { get; set; }

    /// <summary>The signing secret, <c>whsec_</c> + base64. Kept readable: every delivery is signed with it.</summary>
    public required string Secret { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>
    /// The change-log positions this webhook hears: after <see cref="ActiveAfter"/> (the org's last
    /// position when it was created or last enabled) and up to <see cref="ActiveThrough"/> (the last
    /// position when it was disabled; null while enabled). Events outside are never delivered, even
    /// if the fan-out reaches them late.
    /// </summary>
    public long ActiveAfter { get; set; }
    public long? ActiveThrough { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>One event for one webhook: written before any attempt, then attempted until it succeeds or expires.</summary>
public sealed class WebhookDelivery
{
    public required string OrgId { get; init; }
    public required string Id { get; init; }
    public required string WebhookId { get; init; }

    /// <summary>The <c>webhook-id</c> header: one per change event, the same on every attempt and for every webhook.</summary>
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required string ActivityId { get; init; }

    /// <summary>The exact body every attempt sends (text, not jsonb: the signature covers these bytes).</summary>
    public required string Payload { get; init; }
    public required string Status { get; set; }

    /// <summary>Attempts started. A claim increments it, so it also fences a late finisher whose lease ran out.</summary>
    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }

    /// <summary>When pending: when it is next due (while an attempt runs, when its lease ends). Null once finished.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>The event's time plus the retry window: no attempt starts after it.</summary>
    public DateTimeOffset GiveUpAt { get; init; }
}

/// <summary>Per org: the last change-log position turned into deliveries.</summary>
public sealed class WebhookCursor
{
    public required string OrgId { get; init; }
    public long Position { get; set; }
}
