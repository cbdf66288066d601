namespace ActivityFeed.Api.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddActivityFeedAuth(this IServiceCollection services)
    {
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
