using System.Text.Json;
using System.Text.RegularExpressions;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using ActivityFeed.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Activities.Types;

public static partial class ActivityTypesApi
{
    [GeneratedRegex(ActivityRules.TypePattern)]
    private static partial Regex TypeName();

    public static RouteGroupBuilder MapActivityTypes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/orgs/{org_id}/activity-types").WithTags("Activity types").WithValidation();
        group.MapPut("/{type}", PutActivityType).WithName(nameof(PutActivityType))
            .RequireScope(Scopes.Admin)
            .WithSummary("Register or replace a custom activity type")
            .WithDescription("The name matches `^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$` (up to 64) and is not a built-in type. `metadata_schema` is a JSON Schema that every activity of the type's `metadata` must satisfy. 201 when created, 200 when replaced.");
        group.MapGet("/{type}", GetActivityType).WithName(nameof(GetActivityType))
            .RequireScope(Scopes.ActivitiesRead)
            .WithSummary("Get a built-in or custom activity type with its metadata schema")
            .WithDescription("`metadata_schema` is the JSON Schema that the metadata of the type's activities is checked against; 404 for a type that is neither built in nor registered by the org.");
        group.MapGet("/", ListActivityTypes).WithName(nameof(ListActivityTypes))
            .RequireScope(Scopes.ActivitiesRead)
            .WithQueryParameters(QueryParameter.Paging)
            .WithSummary("List built-in and custom activity types, by name")
            .WithDescription("Every built-in type and the org's custom ones, ordered by name, in the list envelope (offset or `next` paging).");
        return group;
    }

    public static async Task<Results<Created<ActivityTypeResponse>, Ok<ActivityTypeResponse>, ValidationProblem>> PutActivityType(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "type")] string type, PutActivityTypeRequest request,
        ActivityFeedDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problem = type.Length > 64 || !TypeName().IsMatch(type)
            ? "type must be lowercase words of a-z 0-9 _ separated by dots, starting with a letter, up to 64 characters."
            : BuiltInActivityTypes.ByName.ContainsKey(type) ? $"'{type}' is a built-in type; its schema cannot be replaced." : null;
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["type"] = [problem] });
        }

        // Before parsing: parsing resolves references, and these rules keep them inside the schema.
        var ruleErrors = SchemaRegistrationRules.Check(request.MetadataSchema!.Value, "metadata_schema");
        if (ruleErrors.Count > 0)
        {
            return TypedResults.ValidationProblem(ruleErrors, detail: "The metadata schema uses a reference or pattern the server does not accept; see errors.");
        }

        var schemaJson = request.MetadataSchema.Value.GetRawText();
        var (_, schemaError) = await MetadataSchemas.TryParseAsync(schemaJson);
        if (schemaError is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["metadata_schema"] = [$"Not a usable JSON Schema: {schemaError}"] });
        }

        var now = Timestamps.Truncate(clock.GetUtcNow());
        // One statement decides created or replaced, so concurrent PUTs cannot both "create".
        var inserted = (await db.Database.SqlQuery<bool>($"""
            INSERT INTO activity_types (org_id, name, description, metadata_schema, created_at, updated_at)
            VALUES ({orgId}, {type}, {request.Description}, {schemaJson}::jsonb, {now}, {now})
            ON CONFLICT (org_id, name) DO UPDATE
                SET description = excluded.description, metadata_schema = excluded.metadata_schema, updated_at = excluded.updated_at
            RETURNING (xmax = 0) AS "Value"
            """).ToListAsync(cancellationToken)).Single(); // data-modifying SQL cannot be wrapped, so no SingleAsync
        var saved = await db.ActivityTypes.AsNoTracking().SingleAsync(t => t.OrgId == orgId && t.Name == type, cancellationToken);
        var response = ToResponse(saved);
        return inserted
            ? TypedResults.Created($"/orgs/{Uri.EscapeDataString(orgId)}/activity-types/{type}", response)
            : TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<ActivityTypeResponse>, ProblemHttpResult>> GetActivityType(
        [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "type")] string type, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        if (BuiltInActivityTypes.ByName.TryGetValue(type, out var builtIn))
        {
            return TypedResults.Ok(ToResponse(builtIn));
        }

        var custom = await db.ActivityTypes.AsNoTracking().SingleOrDefaultAsync(t => t.OrgId == orgId && t.Name == type, cancellationToken);
        return custom is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No activity type '{type}' is built in or registered in this org.")
            : TypedResults.Ok(ToResponse(custom));
    }

    public static async Task<Results<Ok<ListEnvelope<ActivityTypeResponse>>, ValidationProblem>> ListActivityTypes(
        [FromRoute(Name = "org_id")] string orgId, HttpContext http, ActivityFeedDb db, CancellationToken cancellationToken)
    {
        if (IdOrderedListRequest.Parse(http, "type", out var problem) is not { } list)
        {
            return problem!;
        }

        // Built-in and custom names never collide, so one ordinal order over both is total.
        var (page, after) = (list.Page, list.After);
        var customQuery = db.ActivityTypes.AsNoTracking().Where(t => t.OrgId == orgId);
        var custom = await (after is null ? customQuery : customQuery.Where(t => string.Compare(t.Name, after) > 0))
            .OrderBy(t => t.Name).Take((after is null ? page.Offset : 0) + page.Take + 1).ToListAsync(cancellationToken);
        var rows = BuiltInActivityTypes.All.Where(t => after is null || string.CompareOrdinal(t.Name, after) > 0).Select(ToResponse)
            .Concat(custom.Select(ToResponse))
            .OrderBy(t => t.Type, StringComparer.Ordinal)
            .Skip(after is null ? page.Offset : 0)
            .Take(page.Take + 1)
            .ToList();
        long? total = page.IncludeTotal ? BuiltInActivityTypes.All.Count + await customQuery.LongCountAsync(cancellationToken) : null;
        return TypedResults.Ok(list.Envelope(http, rows, t => t.Type, total));
    }

    private static ActivityTypeResponse ToResponse(BuiltInActivityType type) =>
        new(type.Name, true, type.Source, type.Description, JsonDocument.Parse(MetadataSchemas.ForBuiltIn(type.Name).ToJson()).RootElement.Clone(), null, null);

    private static ActivityTypeResponse ToResponse(CustomActivityType type) =>
        new(type.Name, false, "custom", type.Description, JsonDocument.Parse(type.MetadataSchema).RootElement.Clone(), type.CreatedAt, type.UpdatedAt);
}
