using System.Text.Json;

namespace ActivityFeed.Api.Webhooks;

public sealed record CreateWebhookRequest(string? Url, string? Description = null, string[]? Events = null, JsonElement? Filters = null);

/// <summary>The members PATCH may change (documentation: the handler reads the merge patch as raw JSON).</summary>
public sealed record WebhookPatchRequest(string? Url = null, string? Description = null, string[]? Events = null, JsonElement? Filters = null, bool? Disabled = null);

public sealed record WebhookResponse(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, IReadOnlyDictionary<string, JsonElement> Filters, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

/// <summary>The only response that carries the signing secret.</summary>
public sealed record CreatedWebhookResponse(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, IReadOnlyDictionary<string, JsonElement> Filters, string Secret, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

public sealed record WebhookDeliveryResponse(
    string Id,
    string EventId,
    string EventType,
    string ActivityId,
    string Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>The body POSTed to a receiver.</summary>
public sealed record WebhookEventBody(string Type, DateTimeOffset Timestamp, object Data);

/// <summary>The data of an <c>activity.deleted</c> event.</summary>
public sealed record DeletedActivityData(string Id);
