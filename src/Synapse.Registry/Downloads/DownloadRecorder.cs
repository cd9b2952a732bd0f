using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.Options;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Downloads;

internal readonly record struct DownloadEvent(long PackageId, string CanonicalName, long VersionId, string Day, string IpHash);

/// <summary>
/// Counts downloads without making the download wait on the database: events go into a bounded channel that
/// <see cref="DownloadFlusher"/> writes in batches.
/// </summary>
internal sealed class DownloadRecorder
{
    private readonly Channel<DownloadEvent> _channel = Channel.CreateBounded<DownloadEvent>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly byte[] _ipKey;
    private readonly TimeProvider _time;

    public DownloadRecorder(IOptions<DownloadsOptions> options, SigningKeyProvider keys, TimeProvider time)
    {
        _time = time;
        _ipKey = string.IsNullOrEmpty(options.Value.IpHashKey)
            ? HMACSHA256.HashData(keys.Key, "synapse download ip hash"u8)
            : Encoding.UTF8.GetBytes(options.Value.IpHashKey);
    }

    public ChannelReader<DownloadEvent> Reader => _channel.Reader;

    public void Record(long packageId, string canonicalName, long versionId, IPAddress? address)
    {
        var day = _time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _channel.Writer.TryWrite(new DownloadEvent(packageId, canonicalName, versionId, day, HashAddress(address)));
    }

    internal bool RequeueForRetry(DownloadEvent item) => _channel.Writer.TryWrite(item);

    /// <summary>Keyed hash, so the stored value cannot be reversed by hashing every possible address.</summary>
    public string HashAddress(IPAddress? address) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_ipKey, Encoding.UTF8.GetBytes(address?.ToString() ?? "unknown")));
}

/// <summary>Drains <see cref="DownloadRecorder"/> every flush interval into the database in one transaction per batch.</summary>
internal sealed class DownloadFlusher(
    DownloadRecorder recorder, IServiceScopeFactory scopes, IOptions<DownloadsOptions> options, ILogger<DownloadFlusher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _flushLock = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.FlushInterval, stoppingToken);
                await FlushSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushSafelyAsync(CancellationToken.None);
    }

    private async Task FlushSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Writing download counts failed; they are retried at the next flush");
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken);
        try
        {
            var batch = new Dictionary<DownloadEvent, long>();
            while (batch.Count < 10_000 && recorder.Reader.TryRead(out var item))
            {
                batch[item] = batch.GetValueOrDefault(item) + 1;
            }
            if (batch.Count == 0)
            {
                return;
            }
            try
            {
                await WriteAsync(batch, cancellationToken);
            }
            catch
            {
                // Keep the counts for the next attempt (best effort: the channel may be full).
                foreach (var (item, count) in batch)
                {
                    for (var i = 0; i < count && i < 1000; i++)
                    {
                        _ = recorder.RequeueForRetry(item);
                    }
                }
                throw;
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task WriteAsync(Dictionary<DownloadEvent, long> batch, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var notifier = scope.ServiceProvider.GetRequiredService<IPackageChangeNotifier>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (item, count) in batch)
            {
                var row = await db.Downloads.FirstOrDefaultAsync(d => d.PackageVersionId == item.VersionId && d.Day == item.Day && d.IpHash == item.IpHash, cancellationToken);
                if (row is null)
                {
                    db.Downloads.Add(new Download { PackageVersionId = item.VersionId, Day = item.Day, IpHash = item.IpHash, Count = count });
                }
                else
                {
                    row.Count += count;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            foreach (var group in batch.GroupBy(b => b.Key.VersionId))
            {
                var total = group.Sum(g => g.Value);
                await db.PackageVersions.Where(v => v.Id == group.Key)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.Downloads, v => v.Downloads + total), cancellationToken);
            }
            foreach (var group in batch.GroupBy(b => b.Key.PackageId))
            {
                var total = group.Sum(g => g.Value);
                await db.Packages.Where(p => p.Id == group.Key)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Downloads, p => p.Downloads + total), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var name in batch.Keys.Select(k => k.CanonicalName).Distinct())
        {
            await notifier.PackageChangedAsync(name, cancellationToken);
        }
    }

    public override void Dispose()
    {
        _flushLock.Dispose();
        base.Dispose();
    }
}
