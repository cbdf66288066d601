using Microsoft.EntityFrameworkCore;

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

            options.UseNpgsql(connectionString).UseSnakeCaseNames();
            // Interceptors registered in DI (the tests count queries per request with one).
            options.AddInterceptors(provider.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
        });
        return services;
    }

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
