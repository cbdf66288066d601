using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActivityFeed.Api.Data.Changes;

public static class ChangeObserverSetup
{
    /// <summary>Registers an observer (a singleton already registered as itself) and, once, the listener that tells it.</summary>
    public static IServiceCollection AddChangeObserver<T>(this IServiceCollection services) where T : class, IChangeObserver
    {
        services.AddSingleton<IChangeObserver>(provider => provider.GetRequiredService<T>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChangeListener>());
        return services;
    }
}
