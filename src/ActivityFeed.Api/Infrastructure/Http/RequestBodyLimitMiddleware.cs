using ActivityFeed.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Infrastructure.Http;

public sealed class RequestLimitsOptions
{
    public const string Section = "ActivityFeed:Limits";

    /// <summary>Largest request body accepted, in bytes (default 1 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// A declared over-large body is refused before it is read; an undeclared (chunked) one is cut
/// off by the server's own limit, which this sets per request, while it is read.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "");
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
