using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Api.Data;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "ActivityFeed";

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
            // Interceptors registered in DI (the tests count queries per request with one).
            options.AddInterceptors(provider.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
        });
        return services;
    }

    /// <summary>
    /// Statements prepared once per connection and reused (EF sends each query shape as the same
    /// text, so Npgsql's auto-prepare catches them), and no DISCARD ALL each time EF hands a pooled
    /// connection back: planning a feed page over twenty indexes costs more than running it. Only
    /// where the configured string does not choose for itself. Nothing here sets session state
    /// (the writer's settings are SET LOCAL), so a connection carries nothing across requests.
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

    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
