using ActivityFeed.Api.Auth;
using Microsoft.OpenApi;

namespace ActivityFeed.Api.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    private const string BearerScheme = "bearer";

    /// <summary>
    /// The address the README's run command serves on. Generators need an absolute server (a
    /// relative one is "no server" to Kiota); a client sets its own base URL, and Swagger UI sends
    /// "Try it out" to the origin it was loaded from (<see cref="Http.HttpSetup"/>).
    /// </summary>
    public const string DocumentedServer = "http://127.0.0.1:5080";

    public static IServiceCollection AddActivityFeedOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ActivityFeed API",
                    Version = "v1",
                    Description = "Record what happens to contacts, records and users; read it back as timelines.",
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                    Contact = new OpenApiContact { Name = "ActivityFeed maintainers (issues on the project's repository)" },
                };
                // The document must not depend on the host that asked for it: the committed copy is compared byte for byte.
                document.Servers = [new OpenApiServer { Url = DocumentedServer, Description = "The README's run command (scripts/run.sh); point a client at your own deployment." }];
                document.Tags = new HashSet<OpenApiTag>
                {
                    new() { Name = "Health", Description = "Liveness and readiness for load balancers and orchestrators." },
                    new() { Name = "API keys", Description = "Server-to-server keys of an org, with scopes. Admin only." },
                    new() { Name = "User tokens", Description = "Tokens for one user of the org, for frontends that call the API directly: the org's feeds and the user's own inbox. Admin mints and revokes." },
                    new() { Name = "Activities", Description = "Record, change and erase activities; idempotent writes, typed metadata." },
                    new() { Name = "Feeds", Description = "Timelines of the org, a contact or a record: filters, sorts, keyset and offset paging." },
                    new() { Name = "Inbox", Description = "Each user's activities (by `recipients`) with read, seen and archived state, tabs, counts and mark-all by filter." },
                    new() { Name = "Streams", Description = "Server-Sent Events of the org's feed and of a user's inbox, resumable with Last-Event-ID, across server processes." },
                    new() { Name = "Webhooks", Description = "Signed POSTs of the org's created, updated and deleted activities to registered URLs: durable, retried, shared between server processes." },
                    new() { Name = "Activity types", Description = "Built-in types and the org's own, each with the JSON Schema of its metadata." },
                    new() { Name = "Directory", Description = "Users, assistants, contacts, segments, broadcasts, tables and records that activities are enriched from." },
                    new() { Name = "salesloft", Description = "Salesloft's activity history path and shape, over the token's org: a drop-in for clients written against Salesloft." },
                    new() { Name = "topo", Description = "Topo's activity list path and shape, over the token's org." },
                    new() { Name = "crm", Description = "The CRM seed's company scope (org keys) and user scope (user tokens: the user's inbox with read_at)." },
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An org API key (`afk.…`) or a user token, as `Authorization: Bearer <token>`.",
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer<TimestampSchemaTransformer>();
            options.AddSchemaTransformer<SourceIdSchemaTransformer>();
            options.AddDocumentTransformer<ActivityVariantsTransformer>();
            options.AddDocumentTransformer<ProblemSchemasTransformer>();
            options.AddDocumentTransformer<MergePatchBodiesTransformer>();
            options.AddDocumentTransformer<ResponseHeadersTransformer>();
            options.AddDocumentTransformer<UnusedSchemasTransformer>();
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                foreach (var parameter in metadata.OfType<QueryParameter>())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(parameter.ToOpenApi());
                }

                var scope = metadata.OfType<RequiredScope>().LastOrDefault();
                if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Security = []; // explicitly public
                }
                else if (scope is not null)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });
}
