using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Synapse.Registry.Data;
using Synapse.Registry.Data.CompiledModels.Postgres;
using Synapse.Registry.Infrastructure;
using Synapse.Registry.Infrastructure.Redis;
using Synapse.Registry.Observability;
using Synapse.Registry.Options;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;
using Synapse.Registry.Storage.S3;

namespace Synapse.Registry.Hosting;

/// <summary>
/// The scale-out backends: PostgreSQL, S3 and Redis, plus metrics and proxy support. Each is registered always
/// (resolving is lazy) and chosen by the provider switches in <see cref="RegistryServices"/>.
/// </summary>
internal static class ProductionBackends
{
    public static IServiceCollection AddProductionBackends(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDbContext<PostgresRegistryDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString)
                .UseCompiledModel(PostgresRegistryDbContextModel.Instance),
            optionsLifetime: ServiceLifetime.Singleton);

        services.AddOptions<S3StorageOptions>().BindConfiguration(S3StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3StorageOptions>, S3StorageOptionsValidator>();
        services.AddSingleton(sp => new S3BlobStore(sp.GetRequiredService<IOptions<S3StorageOptions>>().Value));

        // Decided when resolved, not here: configuration added by hosts and tests is only complete once the app is built.
        services.AddSingleton(sp => new RedisConnection(sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Redis ?? ""));
        services.AddSingleton(sp => new RedisRateLimitStore(sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<ILogger<RedisRateLimitStore>>(), sp.GetRequiredService<TimeProvider>(), RedisPrefix(sp) + ":ratelimit"));
        services.AddSingleton(sp => new RedisInvalidationChannel(sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<ILogger<RedisInvalidationChannel>>(), RedisPrefix(sp) + ":invalidate"));
        services.AddSingleton<IPackageChangeNotifier>(sp => UsesRedis(sp)
            ? new RedisPackageChangeNotifier(sp.GetRequiredService<MetadataCache>(), sp.GetRequiredService<RedisInvalidationChannel>())
            : new LocalPackageChangeNotifier(sp.GetRequiredService<MetadataCache>()));
        services.AddHostedService<RedisInvalidationListener>();
        services.AddHostedService<S3BucketInitializer>();

        services.AddRegistryMetrics(configuration);
        services.AddRegistryProxySupport(configuration);
        return services;
    }

    private static bool UsesRedis(IServiceProvider services) =>
        services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Store == "Redis";

    /// <summary><c>Synapse:RateLimiting:RedisKeyPrefix</c>: keys and channel names, so deployments can share one Redis.</summary>
    private static string RedisPrefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()["Synapse:RateLimiting:RedisKeyPrefix"] is { Length: > 0 } prefix ? prefix : "synapse";
}

/// <summary>Checks the S3 settings at startup, only when S3 is the storage provider.</summary>
internal sealed class S3StorageOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<S3StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, S3StorageOptions options) =>
        storage.Value.Provider != "S3" ? ValidateOptionsResult.Success
        : options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors)
        : ValidateOptionsResult.Success;
}

/// <summary>Creates the bucket at startup; an unreachable store is logged, not fatal (the first upload retries).</summary>
internal sealed class S3BucketInitializer(IServiceProvider services, IOptions<StorageOptions> storage, ILogger<S3BucketInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.Provider != "S3")
        {
            return;
        }

        try
        {
            await services.GetRequiredService<S3BlobStore>().EnsureBucketAsync(cancellationToken);
        }
        catch (BackendUnavailableException e)
        {
            logger.LogWarning(e, "S3 storage is not reachable at startup; the registry reports it unhealthy until it is");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Clears this instance's cache and tells the other instances over Redis.</summary>
internal sealed class RedisPackageChangeNotifier(MetadataCache cache, RedisInvalidationChannel channel) : IPackageChangeNotifier
{
    public async ValueTask PackageChangedAsync(string canonicalName, CancellationToken cancellationToken)
    {
        cache.Invalidate(canonicalName);
        await channel.PublishAsync(canonicalName);
    }

    /// <summary>Other instances drop everything cached about the package (the channel carries names only).</summary>
    public async ValueTask DownloadsCountedAsync(string canonicalName, CancellationToken cancellationToken)
    {
        cache.InvalidateDownloadCount(canonicalName);
        await channel.PublishAsync(canonicalName);
    }
}

/// <summary>Applies the other instances' invalidations to this instance's cache.</summary>
internal sealed class RedisInvalidationListener(IServiceProvider services, IOptions<RateLimitingOptions> rateLimiting, MetadataCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => rateLimiting.Value.Store != "Redis"
        ? Task.CompletedTask
        : services.GetRequiredService<RedisInvalidationChannel>().SubscribeAsync(cache.Invalidate, cache.Clear);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
