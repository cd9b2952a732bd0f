using Microsoft.AspNetCore.Routing;

namespace Synapse.Registry.Observability;

/// <summary>
/// Counts publishes, downloads, 429s and 503s from each response's route and status, so the API handlers need no
/// metrics code.
/// </summary>
internal sealed class RegistryMetricsMiddleware(RequestDelegate next, RegistryMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var status = context.Response.StatusCode;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            metrics.RateLimited();
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            metrics.BackendUnavailable();
        }
        else if (route is null)
        {
            return;
        }
        else if (HttpMethods.IsPost(context.Request.Method) && status == StatusCodes.Status201Created &&
                 route.TrimEnd('/').Equals("/api/v1/packages", StringComparison.OrdinalIgnoreCase))
        {
            metrics.Published();
        }
        else if (HttpMethods.IsGet(context.Request.Method) && status is >= 200 and < 400 and not 304 &&
                 route.EndsWith("/tarball", StringComparison.OrdinalIgnoreCase))
        {
            metrics.Downloaded();
        }
    }
}
