using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Api.Activities.Types;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Cli;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Dialects.Crm;
using ActivityFeed.Api.Dialects.Salesloft;
using ActivityFeed.Api.Dialects.Topo;
using ActivityFeed.Api.Directory;
using ActivityFeed.Api.Health;
using ActivityFeed.Api.Inbox;
using ActivityFeed.Api.Infrastructure.Errors;
using ActivityFeed.Api.Infrastructure.Http;
using ActivityFeed.Api.Infrastructure.Json;
using ActivityFeed.Api.Infrastructure.Logging;
using ActivityFeed.Api.Infrastructure.OpenApi;
using ActivityFeed.Api.Infrastructure.Validation;
using ActivityFeed.Api.Streams;
using ActivityFeed.Api.Webhooks;

var builder = WebApplication.CreateBuilder(CommandLine.HostArguments(args));

builder.Services.AddActivityFeedLogging(builder.Configuration, toStandardError: CommandLine.IsVerb(args));
builder.Services.AddActivityFeedDatabase(builder.Configuration);
builder.Services.AddActivityFeedJson();
builder.Services.AddActivityFeedProblemDetails();
builder.Services.AddActivityFeedValidation();
builder.Services.AddActivityFeedOpenApi();
builder.Services.AddActivityFeedHealth();
builder.Services.AddActivityFeedAuth();
builder.Services.AddActivityFeedRateLimiting(builder.Configuration, builder.Environment);
builder.Services.AddActivityFeedHttp(builder.Configuration, builder.WebHost);
builder.Services.AddActivities(builder.Configuration);
builder.Services.AddStreams(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);

var app = builder.Build();

if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(app, args);
}

// Outermost, so a request line records the status the exception handler answered (a bad body is a
// 400), not the exception passing through on its way there.
app.UseActivityFeedRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseMiddleware<FailedAuthenticationLimitMiddleware>();
app.UseAuthentication();
app.UseMiddleware<OrgScopeMiddleware>();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<OrgAccessMiddleware>();

app.MapActivityFeedDocs();
app.MapHealth();
app.MapApiKeys();
app.MapUserTokens();
app.MapActivities();
app.MapFeeds();
app.MapInbox();
app.MapStreams();
app.MapWebhooks();
app.MapActivityTypes();
app.MapDirectory();
app.MapSalesloft();
app.MapTopo();
app.MapCrm();

if (app.Configuration.GetValue("ActivityFeed:MigrateOnStartup", true))
{
    await app.Services.MigrateDatabaseAsync();
}

await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
