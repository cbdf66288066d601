using Serilog;
using Serilog.Context;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ActivityFeed.Api.Infrastructure.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// JSON lines with a request id on every line. Levels come from the "Serilog" section; sinks
    /// registered in DI (the tests' capture) are added. CLI verbs log to stderr so stdout stays data.
    /// </summary>
    public static IServiceCollection AddActivityFeedLogging(this IServiceCollection services, IConfiguration configuration, bool toStandardError) =>
        // preserveStaticLogger: each host (several run side by side in the tests) keeps its own pipeline.
        services.AddSerilog((provider, logger) => logger
            // Defaults that configuration may override. Hosting's own request lines carry the query
            // string (where stream clients put access_token), so they stay below the default level.
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(provider)
            .Enrich.FromLogContext()
            .WriteTo.ConsoleLines(toStandardError),
            preserveStaticLogger: true);

    // The server's lines are written by a background thread, so no request waits on the console
    // (there is a line per request); when the console falls 10,000 lines behind, writers wait rather
    // than lines being lost, and the rest is flushed when the host stops. CLI verbs write to stderr
    // synchronously, so their log lines come before their answer on stdout.
    private static LoggerConfiguration ConsoleLines(this Serilog.Configuration.LoggerSinkConfiguration sinks, bool toStandardError) =>
        toStandardError
            ? sinks.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : sinks.Async(sink => sink.Console(new RenderedCompactJsonFormatter()), bufferSize: 10_000, blockWhenFull: true);

    /// <summary>Request logging that records the path but never the query string (stream endpoints take access_token there).</summary>
    public static IApplicationBuilder UseActivityFeedRequestLogging(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            using (LogContext.PushProperty("RequestId", context.TraceIdentifier))
            {
                await next(context);
            }
        });
        var logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        return app.UseSerilogRequestLogging(options => options.Logger = logger);
    }
}
