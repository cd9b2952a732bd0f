using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Synapse.Protocol.Contracts;
using Microsoft.Extensions.Options;
using Synapse.Registry.Data;
using Synapse.Registry.Infrastructure.Redis;
using Synapse.Registry.Options;
using Synapse.Registry.Storage;

namespace Synapse.Registry.Api;

internal static class HealthApi
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/health").WithTags("Health");
        group.MapGet("/", GetHealth).Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        // Liveness: the process serves requests; checks no backend, so an outage never gets instances restarted.
        group.MapGet("/live", () => TypedResults.Text("live", "text/plain"));
        return group;
    }

    internal static async Task<JsonHttpResult<HealthReport>> GetHealth(RegistryDbContext db, IBlobStore blobs, ILoggerFactory loggers,
        IServiceProvider services, IOptions<RateLimitingOptions> rateLimiting, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(HealthApi));
        var database = CheckAsync("database", async ct => await db.Database.ExecuteSqlRawAsync("SELECT 1", ct), logger, cancellationToken);
        var storage = CheckAsync("storage", blobs.CheckHealthAsync, logger, cancellationToken);
        var redis = rateLimiting.Value.Store == "Redis"
            ? CheckAsync("redis", services.GetRequiredService<RedisConnection>().CheckHealthAsync, logger, cancellationToken)
            : Task.FromResult<ComponentHealth>(null!);
        var report = new HealthReport { Status = "healthy", Database = await database, Storage = await storage, Redis = await redis };
        var healthy = report.Database.Status == "healthy" && report.Storage.Status == "healthy";
        return TypedResults.Json(report with { Status = healthy ? "healthy" : "unhealthy" },
            Synapse.Protocol.Contracts.RegistryJsonContext.Default.HealthReport,
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<ComponentHealth> CheckAsync(string name, Func<CancellationToken, Task> check, ILogger logger, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token).WaitAsync(CheckTimeout, cancellationToken);
            return new ComponentHealth { Status = "healthy", DurationMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1) };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Health check of {Component} failed", name);
            // The health endpoint is public: name the failure, keep paths and connection details in the log.
            var error = ex is TimeoutException or OperationCanceledException ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : $"{name} check failed ({ex.GetType().Name}); see the server log";
            return new ComponentHealth { Status = "unhealthy", Error = error, DurationMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1) };
        }
    }
}
