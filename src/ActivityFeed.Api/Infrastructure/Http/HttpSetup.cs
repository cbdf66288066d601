namespace ActivityFeed.Api.Infrastructure.Http;

public static class HttpSetup
{
    public static IServiceCollection AddActivityFeedHttp(this IServiceCollection services, IConfiguration configuration, IWebHostBuilder webHost)
    {
        services.Configure<RequestLimitsOptions>(configuration.GetSection(RequestLimitsOptions.Section));
        var limit = configuration.GetSection(RequestLimitsOptions.Section).Get<RequestLimitsOptions>()?.MaxRequestBodyBytes
                    ?? new RequestLimitsOptions().MaxRequestBodyBytes;
        webHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = limit);
        // Binding failures (malformed JSON, unknown fields) reach the exception handler, which names the position.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication MapActivityFeedDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "ActivityFeed API v1");
            options.RoutePrefix = "swagger";
            // The document names the README's address as its server; "Try it out" goes to the server the UI came from.
            options.UseRequestInterceptor(
                $"(request) => {{ const documented = '{OpenApi.OpenApiSetup.DocumentedServer}'; if (request.url.startsWith(documented)) {{ request.url = window.location.origin + request.url.slice(documented.length); }} return request; }}");
        });
        return app;
    }
}
