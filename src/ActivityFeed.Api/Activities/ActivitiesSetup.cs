using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Activities.Idempotency;
using ActivityFeed.Api.Activities.Types;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Activities;

public static class ActivitiesSetup
{
    public static IServiceCollection AddActivities(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CursorOptions>().Bind(configuration.GetSection(CursorOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CursorOptions>, CursorOptionsValidator>();
        services.AddSingleton<DescriptionSanitizer>();
        services.AddSingleton<MetadataSchemas>();
        services.AddScoped<ActivityTypeCatalog>();
        services.AddScoped<ActivityWriter>();
        services.AddSingleton<CursorKey>();
        services.AddSingleton<CursorCodec>();
        services.AddSingleton<IdempotencyKeySweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyKeySweeper>());
        return services;
    }
}
