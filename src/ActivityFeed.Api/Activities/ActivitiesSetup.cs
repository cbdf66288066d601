using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Activities.Idempotency;
using ActivityFeed.Api.Activities.Types;

namespace ActivityFeed.Api.Activities;

public static class ActivitiesSetup
{
    public static IServiceCollection AddActivities(this IServiceCollection services)
    {
        services.AddSingleton<DescriptionSanitizer>();
        services.AddSingleton<MetadataSchemas>();
        services.AddScoped<ActivityTypeCatalog>();
        services.AddScoped<ActivityWriter>();
        services.AddScoped<Directory.DirectoryEnricher>();
        services.AddSingleton<CursorKey>();
        services.AddSingleton<CursorCodec>();
        services.AddSingleton<IdempotencyKeySweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyKeySweeper>());
        return services;
    }
}
