using System.Text.Json;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Paging;
using ActivityFeed.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Directory;

public static partial class DirectoryApi
{
    private static readonly JsonSerializerOptions Json = JsonSetup.Options;

    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder routes)
    {
        Map(routes, new DirectoryResource<User, PutUserRequest, UserResponse>(
            "users", "User", "People who act in the product: the `actor` of activities and the author of notes.",
            db => db.Users, (org, id) => new User { OrgId = org, Id = id },
            (u, r) => (u.Name, u.Email, u.Avatar, u.SeenAt) = (r.Name, r.Email, r.Avatar, r.SeenAt),
            u => new UserResponse(u.Id, u.Name, u.Email, u.Avatar, u.SeenAt, u.CreatedAt, u.UpdatedAt)));
        Map(routes, new DirectoryResource<Assistant, PutAssistantRequest, AssistantResponse>(
            "assistants", "Assistant", "AI or automated assistants that act in the product.",
            db => db.Assistants, (org, id) => new Assistant { OrgId = org, Id = id },
            (a, r) => (a.Name, a.AvatarUrl) = (r.Name, r.AvatarUrl),
            a => new AssistantResponse(a.Id, a.Name, a.AvatarUrl, a.CreatedAt, a.UpdatedAt)));
        Map(routes, new DirectoryResource<Contact, PutContactRequest, ContactResponse>(
            "contacts", "Contact", "The people activities are about (`contact_id`).",
            db => db.Contacts, (org, id) => new Contact { OrgId = org, Id = id },
            (c, r) => (c.Name, c.Email) = (r.Name, r.Email),
            c => new ContactResponse(c.Id, c.Name, c.Email, c.CreatedAt, c.UpdatedAt)));
        Map(routes, new DirectoryResource<Segment, PutSegmentRequest, SegmentResponse>(
            "segments", "Segment", "Groups of contacts, with their colour and the boards that show them.",
            db => db.Segments, (org, id) => new Segment { OrgId = org, Id = id },
            (s, r) => (s.Name, s.Color, s.ContactsCount, s.Boards) = (r.Name, r.Color, r.ContactsCount, JsonSerializer.Serialize(r.Boards ?? [], Json)),
            s => new SegmentResponse(s.Id, s.Name, s.Color, s.ContactsCount, Boards(s.Boards), s.CreatedAt, s.UpdatedAt)));
        Map(routes, new DirectoryResource<Broadcast, PutBroadcastRequest, BroadcastResponse>(
            "broadcasts", "Broadcast", "Messages sent to many contacts at once.",
            db => db.Broadcasts, (org, id) => new Broadcast { OrgId = org, Id = id },
            (b, r) => b.Name = r.Name,
            b => new BroadcastResponse(b.Id, b.Name, b.CreatedAt, b.UpdatedAt)));
        Map(routes, new DirectoryResource<DataTable, PutTableRequest, TableResponse>(
            "tables", "Table", "The org's data tables (`table_id`).",
            db => db.Tables, (org, id) => new DataTable { OrgId = org, Id = id },
            (t, r) => t.Name = r.Name,
            t => new TableResponse(t.Id, t.Name, t.CreatedAt, t.UpdatedAt)));
        Map(routes, new DirectoryResource<TableRecord, PutRecordRequest, RecordResponse>(
            "records", "Record", "Rows of the org's tables (`record_id`), each in its `table_id`.",
            db => db.Records, (org, id) => new TableRecord { OrgId = org, Id = id },
            (t, r) => (t.TableId, t.Name) = (r.TableId, r.Name),
            t => new RecordResponse(t.Id, t.TableId, t.Name, t.CreatedAt, t.UpdatedAt)));
        return routes;
    }

    /// <summary>Boards of a segment from their jsonb column.</summary>
    public static IReadOnlyList<SegmentBoard> Boards(string json) => JsonSerializer.Deserialize<List<SegmentBoard>>(json, Json) ?? [];

    private static void Map<TEntity, TPut, TResponse>(IEndpointRouteBuilder routes, DirectoryResource<TEntity, TPut, TResponse> resource)
        where TEntity : DirectoryEntry
        where TPut : notnull
    {
        Handlers<TEntity, TPut, TResponse>.Resource = resource;
        // Passed as Delegate: the ASP.NET route-handler analyzer crashes (AD0001) on handlers of an open generic type.
        Delegate put = Handlers<TEntity, TPut, TResponse>.Put, get = Handlers<TEntity, TPut, TResponse>.Get;
        Delegate delete = Handlers<TEntity, TPut, TResponse>.Delete, list = Handlers<TEntity, TPut, TResponse>.List;
        var group = routes.MapGroup($"/orgs/{{org_id}}/{resource.Collection}").WithTags("Directory").WithValidation();
        group.MapPut("/{id}", put)
            .WithName($"Put{resource.Singular}").RequireScope(Scopes.ActivitiesWrite)
            .WithSummary($"Create or replace a {resource.Singular.ToLowerInvariant()}")
            .WithDescription($"{resource.Description} 201 when created, 200 when replaced (every field is set as sent).");
        group.MapGet("/{id}", get)
            .WithName($"Get{resource.Singular}").RequireScope(Scopes.ActivitiesRead)
            .WithSummary($"Get a {resource.Singular.ToLowerInvariant()}")
            .WithDescription($"The {resource.Singular.ToLowerInvariant()} as stored; 404 when the org has none with this id.");
        group.MapDelete("/{id}", delete)
            .WithName($"Delete{resource.Singular}").RequireScope(Scopes.ActivitiesWrite)
            .WithSummary($"Delete a {resource.Singular.ToLowerInvariant()}")
            .WithDescription("Activities that refer to it stay; they then show the object with only its id.");
        group.MapGet("/", list)
            .WithName($"List{resource.Collection[..1].ToUpperInvariant()}{resource.Collection[1..]}").RequireScope(Scopes.ActivitiesRead)
            .WithQueryParameters(QueryParameter.Paging)
            .WithSummary($"List {resource.Collection}, by id")
            .WithDescription($"The org's {resource.Collection}, ordered by id, in the list envelope (offset or `next` paging).");
    }

    /// <summary>The named handlers of one collection; the resource is set once when it is mapped.</summary>
    private static class Handlers<TEntity, TPut, TResponse>
        where TEntity : DirectoryEntry
    {
        public static DirectoryResource<TEntity, TPut, TResponse> Resource { get; set; } = null!;

        public static Task<Results<Created<TResponse>, Ok<TResponse>, ValidationProblem>> Put(
            [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "id")] string id, TPut request, ActivityFeedDb db, TimeProvider clock, CancellationToken cancellationToken) =>
            UpsertEntry(Resource, orgId, id, request, db, clock, cancellationToken);

        public static Task<Results<Ok<TResponse>, ProblemHttpResult>> Get(
            [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "id")] string id, ActivityFeedDb db, CancellationToken cancellationToken) =>
            GetEntry(Resource, orgId, id, db, cancellationToken);

        public static Task<Results<NoContent, ProblemHttpResult>> Delete(
            [FromRoute(Name = "org_id")] string orgId, [FromRoute(Name = "id")] string id, ActivityFeedDb db, CancellationToken cancellationToken) =>
            DeleteEntry(Resource, orgId, id, db, cancellationToken);

        public static Task<Results<Ok<ListEnvelope<TResponse>>, ValidationProblem>> List(
            [FromRoute(Name = "org_id")] string orgId, HttpContext http, ActivityFeedDb db, CancellationToken cancellationToken) =>
            ListEntries(Resource, orgId, http, db, cancellationToken);
    }

    public static async Task<Results<Created<TResponse>, Ok<TResponse>, ValidationProblem>> UpsertEntry<TEntity, TPut, TResponse>(
        DirectoryResource<TEntity, TPut, TResponse> resource, string orgId, string id, TPut request, ActivityFeedDb db, TimeProvider clock, CancellationToken cancellationToken)
        where TEntity : DirectoryEntry
    {
        if (!ClientIds.IsValid(id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["id " + ClientIds.Rule] });
        }

        // The body parameter is generic, so binding cannot tell it is required: no body, or JSON null, arrives as null.
        if (request is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send the entry's fields as a JSON object, e.g. {\"name\": \"…\"}."] },
                detail: "This endpoint needs a JSON object body.");
        }

        // Two attempts: a concurrent PUT of the same new id makes the loser's insert an update, and a
        // concurrent DELETE of an existing one makes the update an insert.
        for (var attempt = 0; ; attempt++)
        {
            var now = Timestamps.Truncate(clock.GetUtcNow());
            var set = resource.Set(db);
            var entity = await set.SingleOrDefaultAsync(e => e.OrgId == orgId && e.Id == id, cancellationToken);
            var created = entity is null;
            if (entity is null)
            {
                entity = resource.Create(orgId, id);
                entity.CreatedAt = now;
                set.Add(entity);
            }

            resource.Apply(entity, request);
            entity.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (attempt == 0 && (exception is DbUpdateConcurrencyException
                                                                       || exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }))
            {
                db.ChangeTracker.Clear();
                continue;
            }

            var response = resource.ToResponse(entity);
            return created
                ? TypedResults.Created($"/orgs/{Uri.EscapeDataString(orgId)}/{resource.Collection}/{Uri.EscapeDataString(id)}", response)
                : TypedResults.Ok(response);
        }
    }

    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> GetEntry<TEntity, TPut, TResponse>(
        DirectoryResource<TEntity, TPut, TResponse> resource, string orgId, string id, ActivityFeedDb db, CancellationToken cancellationToken)
        where TEntity : DirectoryEntry
    {
        var entity = await resource.Set(db).AsNoTracking().SingleOrDefaultAsync(e => e.OrgId == orgId && e.Id == id, cancellationToken);
        return entity is null ? NotFound(resource, id) : TypedResults.Ok(resource.ToResponse(entity));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteEntry<TEntity, TPut, TResponse>(
        DirectoryResource<TEntity, TPut, TResponse> resource, string orgId, string id, ActivityFeedDb db, CancellationToken cancellationToken)
        where TEntity : DirectoryEntry
    {
        var deleted = await resource.Set(db).Where(e => e.OrgId == orgId && e.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NotFound(resource, id) : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListEnvelope<TResponse>>, ValidationProblem>> ListEntries<TEntity, TPut, TResponse>(
        DirectoryResource<TEntity, TPut, TResponse> resource, string orgId, HttpContext http, ActivityFeedDb db, CancellationToken cancellationToken)
        where TEntity : DirectoryEntry
    {
        if (IdOrderedListRequest.Parse(http, resource.Collection, out var problem) is not { } list)
        {
            return problem!;
        }

        var entries = resource.Set(db).AsNoTracking().Where(e => e.OrgId == orgId);
        var rows = await list.Window(entries, e => e.Id).ToListAsync(cancellationToken);
        long? total = list.Page.IncludeTotal ? await entries.LongCountAsync(cancellationToken) : null;
        var envelope = list.Envelope(http, rows, e => e.Id, total);
        return TypedResults.Ok(new ListEnvelope<TResponse>(envelope.Items.Select(resource.ToResponse).ToList(),
            envelope.Next, envelope.HasMore, envelope.Take, envelope.Page, envelope.TotalCount, envelope.TotalPages));
    }

    private static ProblemHttpResult NotFound<TEntity, TPut, TResponse>(DirectoryResource<TEntity, TPut, TResponse> resource, string id)
        where TEntity : DirectoryEntry =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No {resource.Singular.ToLowerInvariant()} '{id}' in this org's directory.");
}
