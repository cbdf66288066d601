using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Data;

public static class DatabaseSetup
{
    /// <summary>What the server runs as: a role subject to row-level security (see README, Tenant isolation).</summary>
    public const string ConnectionStringName = "ActivityFeed";

    /// <summary>The schema owner's, for migrations only; when absent, migrations use <see cref="ConnectionStringName"/>.</summary>
    public const string MigrationsConnectionStringName = "ActivityFeedMigrations";

    public static IServiceCollection AddActivityFeedDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDbContextPool<ActivityFeedDb>((provider, options) =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"No database configured: set ConnectionStrings:{ConnectionStringName} (environment ConnectionStrings__{ConnectionStringName}), or start the server with scripts/run.sh, which provisions a local PostgreSQL.");
            }

            options.UseNpgsql(WithHotPathDefaults(connectionString)).UseSnakeCaseNames();
            // Interceptors registered in DI (the tests count queries per request with one), then the
            // org scope last, so every command as sent sets its org.
            options.AddInterceptors(provider.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
            options.AddInterceptors(OrgScopeInterceptor.Instance);
        });
        return services;
    }

    /// <summary>
    /// Statements prepared once per connection and reused (EF sends each query shape as the same
    /// text, so Npgsql's auto-prepare catches them), and no DISCARD ALL each time EF hands a pooled
    /// connection back: planning a feed page over twenty indexes costs more than running it. Only
    /// where the configured string does not choose for itself. Nothing here sets session state
    /// (the writer's settings and the org are SET LOCAL; the batch writer's staging table is
    /// emptied at every commit), so a connection carries nothing across requests.
    /// </summary>
    public static string WithHotPathDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(given, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 64;
        }

        if (!Names(given, "No Reset On Close", "NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        return settings.ConnectionString;
    }

    private static bool Names(DbConnectionStringBuilder given, params string[] keys) =>
        given.Keys.Cast<string>().Any(key => keys.Contains(key, StringComparer.OrdinalIgnoreCase));

    /// <summary>Table and column names in snake_case, so hand-written SQL and the JSON read alike.</summary>
    public static DbContextOptionsBuilder UseSnakeCaseNames(this DbContextOptionsBuilder builder) =>
        builder.UseSnakeCaseNamingConvention();

    /// <summary>
    /// Applies migrations as the schema owner (<see cref="MigrationsConnectionStringName"/>), on a
    /// context of its own: the runtime role may not create or alter tables, and the owner's
    /// context carries no org scope.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var connectionString = configuration.GetConnectionString(MigrationsConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = configuration.GetConnectionString(ConnectionStringName);
        }

        var options = new DbContextOptionsBuilder<ActivityFeedDb>();
        options.UseNpgsql(connectionString).UseSnakeCaseNames();
        await using var db = new ActivityFeedDb(options.Options);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
