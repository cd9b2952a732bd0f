using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Synapse.Registry.Data;
using Synapse.Registry.Options;

namespace Synapse.Registry.Storage;

/// <summary>Removes blobs that no live version references and that are older than the orphan age (failed publishes).</summary>
internal sealed class OrphanBlobSweeper(IServiceScopeFactory scopes, IOptions<StorageOptions> options, TimeProvider time, ILogger<OrphanBlobSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0 && logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Orphan sweep removed {Count} blobs", removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Orphan sweep failed; it runs again at the next interval");
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var blobs = scope.ServiceProvider.GetRequiredService<IBlobStore>();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var cutoff = time.GetUtcNow() - options.Value.OrphanAge;
        var removed = 0;
        await foreach (var blob in blobs.ListAsync(cancellationToken))
        {
            if (blob.LastModified > cutoff || !BlobKeys.IsValid(blob.Key))
            {
                continue;
            }
            var referenced = await db.PackageVersions.AnyAsync(v => v.Sha256 == blob.Key && !v.IsDeleted, cancellationToken);
            if (!referenced)
            {
                await blobs.DeleteAsync(blob.Key, cancellationToken);
                removed++;
            }
        }
        return removed;
    }
}
