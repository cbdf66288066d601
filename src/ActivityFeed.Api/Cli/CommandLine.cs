using System.Text.Json;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Identifiers;
using ActivityFeed.Api.Orgs;

namespace ActivityFeed.Api.Cli;

/// <summary>Operator verbs of the server binary, so scripts need no SQL: <c>migrate</c> and <c>bootstrap</c>.</summary>
public static partial class CommandLine
{
    public static readonly string[] Verbs = ["migrate", "bootstrap", "explain-feed"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <summary>What the web host should see: the verb's own options are not configuration.</summary>
    public static string[] HostArguments(string[] args) => IsVerb(args) ? [] : args;


    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        switch (args[0])
        {
            case "migrate":
                await app.Services.MigrateDatabaseAsync();
                await Console.Error.WriteLineAsync("Database is up to date.");
                return 0;
            case "bootstrap":
                return await BootstrapAsync(app, args[1..]);
            case "explain-feed":
                return await ExplainFeedAsync(app, args[1..]);
            default:
                return Usage();
        }
    }

    private static async Task<int> BootstrapAsync(WebApplication app, string[] args)
    {
        string? name = null, orgId = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--org-name" when i + 1 < args.Length: name = args[++i]; break;
                case "--org-id" when i + 1 < args.Length: orgId = args[++i]; break;
                default: return Usage();
            }
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return Usage("--org-name is required (1-200 characters).");
        }

        if (orgId is not null && !ClientIds.IsValid(orgId))
        {
            return Usage("--org-id " + ClientIds.Rule);
        }

        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var created = await OrgProvisioning.CreateAsync(db, name, orgId, TimeProvider.System.GetUtcNow());
        if (created is null)
        {
            await Console.Error.WriteLineAsync($"An org with id '{orgId}' already exists; nothing was created.");
            return 1;
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["org_id"] = created.OrgId,
            ["api_key"] = created.ApiKey,
        }));
        return 0;
    }

    private static async Task<int> ExplainFeedAsync(WebApplication app, string[] args)
    {
        string? orgId = null, query = "", next = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--org" when i + 1 < args.Length: orgId = args[++i]; break;
                case "--query" when i + 1 < args.Length: query = args[++i]; break;
                case "--next" when i + 1 < args.Length: next = args[++i]; break;
                default: return Usage();
            }
        }

        return orgId is null ? Usage("--org is required.") : await ExplainFeedVerb.RunAsync(app.Services, orgId, query, next);
    }

    private static int Usage(string? problem = null)
    {
        if (problem is not null)
        {
            Console.Error.WriteLine(problem);
        }

        Console.Error.WriteLine("""
            usage: ActivityFeed.Api                                  run the server
                   ActivityFeed.Api migrate                          apply database migrations
                   ActivityFeed.Api bootstrap --org-name NAME [--org-id ID]
                                                                     create an org and its first admin key;
                                                                     prints {"org_id": ..., "api_key": ...}
                   ActivityFeed.Api explain-feed --org ID [--query "type=call&contact_id=c1"] [--next CURSOR]
                                                                     EXPLAIN ANALYZE the SQL of that feed page
            """);
        return 2;
    }
}
