using ActivityFeed.Api.Data.Changes;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Webhooks;

public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.GiveUpAfter > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero
                           && o.MaxConcurrentAttempts > 0 && o.MaxConcurrentAttemptsPerWebhook > 0 && o.Delays.All(d => d > TimeSpan.Zero),
                $"{WebhookOptions.Section}: AttemptTimeout, GiveUpAfter, PollInterval, every RetryDelays entry and both MaxConcurrentAttempts settings must be positive.")
            .ValidateOnStart();
        services.AddSingleton<WebhookAddressGuard>();
        services.AddSingleton<WebhookFanOut>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookWorker>());
        services.AddChangeObserver<WebhookWorker>();

        // Receivers are untrusted: no proxy, no redirects, and every connection's address checked.
        services.AddHttpClient(WebhookSender.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ActivityFeed-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectCallback = provider.GetRequiredService<WebhookAddressGuard>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectTimeout = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AttemptTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        return services;
    }
}
