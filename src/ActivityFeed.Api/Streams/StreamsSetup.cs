using ActivityFeed.Api.Data.Changes;

namespace ActivityFeed.Api.Streams;

public static class StreamsSetup
{
    public static IServiceCollection AddStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section))
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.ConnectionBuffer > 0 && o.Retention > TimeSpan.Zero && o.SafetyPollInterval > TimeSpan.Zero,
                $"{StreamOptions.Section}: HeartbeatInterval, ConnectionBuffer, Retention and SafetyPollInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ChangeBatchReader>();
        services.AddSingleton<StreamHub>();
        services.AddChangeObserver<StreamHub>();
        services.AddSingleton<ChangeEventSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ChangeEventSweeper>());
        return services;
    }
}
