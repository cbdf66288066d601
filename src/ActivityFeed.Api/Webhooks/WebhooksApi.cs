using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Infrastructure.Errors;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Webhooks;

public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}/webhooks")
            .WithTags("Webhooks")
            .RequireScope(Scopes.Admin)
            .ProducesValidationProblem();

        group.MapPost("/", CreateWebhook).WithName(nameof(CreateWebhook))
            .WithSummary("Register a webhook")
            .WithDescription("`events` ⊆ activity.created, activity.updated, activity.deleted (default: all three; not empty). `filters` takes the list filters by their query names (`type` and `tag` as lists, time ranges and `metadata.<member>` included); an unknown filter is a 400. The URL must be http(s) and resolve to public addresses only. Returns the signing `secret` (`whsec_…`) once. Needs the `admin` scope.");
        group.MapGet("/", ListWebhooks).WithName(nameof(ListWebhooks))
            .WithSummary("List the org's webhooks")
            .WithDescription("Oldest first, in the list envelope; never returns secrets. Needs the `admin` scope.")
            .WithQueryParameters(QueryParameter.Paging);
        group.MapGet("/{webhook_id}", GetWebhook).WithName(nameof(GetWebhook))
            .WithSummary("Get one webhook").WithDescription("Without its secret. Needs the `admin` scope.");
        group.MapPatch("/{webhook_id}", PatchWebhook).WithName(nameof(PatchWebhook))
            .Accepts<WebhookPatchRequest>("application/merge-patch+json", "application/json")
            .WithSummary("Change a webhook (JSON merge patch)")
            .WithDescription("Patchable: url, description (null clears it), events, filters (replaced whole; null clears them), disabled (true sets `disabled_at`; events that happen while disabled are never delivered). Needs the `admin` scope.")
            .ProducesProblems(StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete("/{webhook_id}", DeleteWebhook).WithName(nameof(DeleteWebhook))
            .WithSummary("Delete a webhook").WithDescription("Its pending deliveries go with it. Needs the `admin` scope.");
        group.MapGet("/{webhook_id}/deliveries", ListDeliveries).WithName(nameof(ListDeliveries))
            .WithSummary("A webhook's deliveries, newest first")
            .WithDescription("One per event sent to this webhook: `status` pending, succeeded or failed, how many attempts, the last HTTP status and error, and when the next attempt is due. Needs the `admin` scope.")
            .WithQueryParameters(QueryParameter.Paging);
        return group;
    }

    public static async Task<Results<Created<CreatedWebhookResponse>, ValidationProblem>> CreateWebhook(
        [FromRoute(Name = "org_id")] string orgId, CreateWebhookRequest request, ActivityFeedDb db, WebhookAddressGuard guard, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        await WebhookRules.CheckUrlAsync(request.Url, guard, errors, cancellationToken);
        WebhookRules.CheckDescription(request.Description, errors);
        var events = WebhookRules.CheckEvents(request.Events, errors);
        var filters = WebhookFilters.Read(request.Filters, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The webhook is invalid; see errors.");
        }

        var now = Timestamps.Truncate(clock.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (last, _) = await ChangeLog.PositionAsync(db, orgId, cancellationToken);
        var webhook = new Webhook
        {
            OrgId = orgId,
            Id = Ids.New("wh"),
            Url = request.Url!,
            Description = request.Description,
            Events = events!,
            Filters = filters!,
            Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            CreatedAt = now,
            UpdatedAt = now,
            ActiveAfter = last,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        // The org's fan-out starts here if this is its first webhook: from now, not from the log's start.
        await db.Database.ExecuteSqlAsync($"INSERT INTO webhook_cursors (org_id, position) VALUES ({orgId}, {last}) ON CONFLICT (org_id) DO NOTHING", cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var shown = ToResponse(webhook);
        return TypedResults.Created($"/orgs/{Uri.EscapeDataString(orgId)}/webhooks/{webhook.Id}",
            new CreatedWebhookResponse(shown.Id, shown.Url, shown.Description, shown.Events, shown.Filters, webhook.Secret, shown.CreatedAt, shown.DisabledAt));
    }

    public static async Task<Results<Ok<ListEnvelope<WebhookResponse>>, ValidationProblem>> ListWebhooks(
        [FromRoute(Name = "org_id")] string orgId, HttpContext http, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        if (IdOrderedListRequest.Parse(http, "webhook", out var problem) is not { } list)
        {
            return problem!;
        }

        var webhooks = db.Webhooks.AsNoTracking().Where(w => w.OrgId == orgId);
        var rows = (await list.Window(webhooks, w => w.Id).ToListAsync(cancellationToken)).Select(ToResponse).ToList();
        long? total = list.Page.IncludeTotal ? await webhooks.LongCountAsync(cancellationToken) : null;
        return TypedResults.Ok(list.Envelope(http, rows, w => w.Id, total));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhook(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "webhook_id")] string webhookId, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.OrgId == orgId && w.Id == webhookId, cancellationToken);
        return webhook is null ? NotFound(webhookId) : TypedResults.Ok(ToResponse(webhook));
    }

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> PatchWebhook(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "webhook_id")] string webhookId, HttpContext http, ActivityFeedDb db,
        WebhookAddressGuard guard, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!PatchBody.IsJson(http.Request))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "PATCH takes a JSON merge patch: Content-Type application/merge-patch+json or application/json.");
        }

        var body = await PatchBody.ReadAsync(http.Request, cancellationToken);
        if (body.Patch is not { } patch)
        {
            return TypedResults.ValidationProblem(body.Errors!, detail: body.Detail);
        }

        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => patch[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        foreach (var (name, value) in patch)
        {
            var wellTyped = name switch
            {
                "url" => Text(name) is not null,
                "description" => value is null || Text(name) is not null,
                "events" => value is JsonArray,
                "filters" => value is null or JsonObject,
                "disabled" => value is JsonValue flag && flag.TryGetValue<bool>(out _),
                "id" or "secret" or "created_at" or "disabled_at" => false,
                _ => false,
            };
            if (!wellTyped)
            {
                errors[name] = name switch
                {
                    "id" or "secret" or "created_at" => [$"{name} cannot be changed."],
                    "disabled_at" => ["Set disabled (true or false) instead."],
                    "url" or "description" or "events" or "filters" or "disabled" => [$"{name} has the wrong JSON type."],
                    _ => ["Unknown field."],
                };
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The patch has fields that cannot be changed or are malformed; see errors.");
        }

        if (patch.ContainsKey("url"))
        {
            await WebhookRules.CheckUrlAsync(Text("url"), guard, errors, cancellationToken);
        }

        WebhookRules.CheckDescription(Text("description"), errors);
        var events = patch["events"] is JsonArray list
            ? WebhookRules.StringArray(JsonSerializer.SerializeToElement(list)) is { } given
                ? WebhookRules.CheckEvents(given, errors)
                : Invalid(errors, "events", "events is a list of event type names.")
            : null;
        var filters = patch.ContainsKey("filters")
            ? WebhookFilters.Read(patch["filters"] is { } f ? JsonSerializer.SerializeToElement(f) : null, errors)
            : null;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The patch is invalid; see errors.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var webhook = (await db.Webhooks.FromSql($"SELECT * FROM webhooks WHERE org_id = {orgId} AND id = {webhookId} FOR UPDATE")
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (webhook is null)
        {
            return NotFound(webhookId);
        }

        if (patch.ContainsKey("url"))
        {
            webhook.Url = Text("url")!;
        }

        if (patch.ContainsKey("description"))
        {
            webhook.Description = Text("description");
        }

        webhook.Events = events ?? webhook.Events;
        webhook.Filters = filters ?? webhook.Filters;
        var now = Timestamps.Truncate(clock.GetUtcNow());
        if (patch["disabled"] is JsonValue disabled && disabled.GetValue<bool>() != (webhook.DisabledAt is not null))
        {
            var (last, _) = await ChangeLog.PositionAsync(db, orgId, cancellationToken);
            if (webhook.DisabledAt is null)
            {
                webhook.DisabledAt = now;
                webhook.ActiveThrough = last;
            }
            else
            {
                // Re-enabled: what happened while disabled stays undelivered.
                webhook.DisabledAt = null;
                webhook.ActiveAfter = last;
                webhook.ActiveThrough = null;
            }
        }

        webhook.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(webhook));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "webhook_id")] string webhookId, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        var deleted = await db.Webhooks.Where(w => w.OrgId == orgId && w.Id == webhookId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NotFound(webhookId) : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListEnvelope<WebhookDeliveryResponse>>, ValidationProblem, ProblemHttpResult>> ListDeliveries(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "webhook_id")] string webhookId, HttpContext http, ActivityFeedDb db,
        CancellationToken cancellationToken)
    {
        if (IdOrderedListRequest.Parse(http, "delivery", out var problem) is not { } list)
        {
            return problem!;
        }

        if (!await db.Webhooks.AnyAsync(w => w.OrgId == orgId && w.Id == webhookId, cancellationToken))
        {
            return NotFound(webhookId);
        }

        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.OrgId == orgId && d.WebhookId == webhookId);
        var rows = await list.Window(deliveries, d => d.Id, descending: true)
            .Select(d => new WebhookDeliveryResponse(d.Id, d.EventId, d.EventType, d.ActivityId, d.Status, d.Attempts, d.LastStatusCode, d.LastError,
                d.NextAttemptAt, d.CreatedAt, d.DeliveredAt))
            .ToListAsync(cancellationToken);
        long? total = list.Page.IncludeTotal ? await deliveries.LongCountAsync(cancellationToken) : null;
        return TypedResults.Ok(list.Envelope(http, rows, d => d.Id, total));
    }

    private static WebhookResponse ToResponse(Webhook w) =>
        new(w.Id, w.Url, w.Description, [.. w.Events.Select(WebhookEvents.FromKind)], WebhookFilters.Echo(w.Filters), w.CreatedAt, w.DisabledAt);

    private static string[]? Invalid(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return null;
    }

    private static ProblemHttpResult NotFound(string webhookId) =>
        TypedResults.Problem(detail: $"No webhook '{webhookId}' in this org.", statusCode: StatusCodes.Status404NotFound);
}
