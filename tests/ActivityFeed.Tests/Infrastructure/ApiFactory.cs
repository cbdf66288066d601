using System.Net.Http.Headers;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Orgs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// The real HTTP pipeline over a database of this test class's own, with one org and its admin key.
/// </summary>
public class ApiFactory(PostgresServer server) : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _connectionString = "";

    public LogCapture Logs { get; } = new();
    public CommandCounter Commands { get; } = new();
    public string OrgId { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    /// <summary>The database as its owner (a superuser here): for tests that set up or inspect rows beneath the API.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>What the server connects as: the runtime login, subject to row-level security.</summary>
    public string RuntimeConnectionString => PostgresServer.AsRuntime(_connectionString);

    public async ValueTask InitializeAsync()
    {
        _connectionString = await CreateDatabaseAsync();
        var org = await CreateOrgAsync("Test org");
        OrgId = org.OrgId;
        AdminKey = org.ApiKey;
    }

    public async Task<ProvisionedOrg> CreateOrgAsync(string name, string? orgId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        return await OrgProvisioning.CreateAsync(db, name, orgId, DateTimeOffset.UtcNow)
               ?? throw new InvalidOperationException($"Org {orgId} exists already.");
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient AdminClient() => ClientWithKey(AdminKey);

    /// <summary>This class's database: a clone of the run's migrated template unless a derived fixture brings its own.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => server.CreateDatabaseAsync();

    protected virtual Task DropDatabaseAsync(string connectionString) => server.DropDatabaseAsync(connectionString);

    /// <summary>Configuration a derived fixture sets on top of the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:ActivityFeed", RuntimeConnectionString);
        builder.UseSetting("ConnectionStrings:ActivityFeedMigrations", _connectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(Commands);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await DropDatabaseAsync(_connectionString);
        GC.SuppressFinalize(this);
    }
}
