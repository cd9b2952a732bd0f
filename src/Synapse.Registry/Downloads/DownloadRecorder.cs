using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.Options;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Downloads;

internal readonly record struct DownloadEvent(long PackageId, string CanonicalName, long VersionId, string Day, string IpHash);

/// <summary>
/// Counts downloads without making the download wait on the database: each download adds one to an in-memory count
/// per (version, day, address hash), which <see cref="DownloadFlusher"/> takes and writes in batches. Memory grows with
/// the number of distinct keys between flushes, not with the number of downloads, so a burst of downloads of the same
/// versions is counted in full and costs no more memory than one. On the request path, a download costs one dictionary
/// update: today's date and each address's keyed hash are computed once and reused.
/// </summary>
internal sealed class DownloadRecorder
{
    private const int MaxRememberedAddresses = 10_000;
    /// <summary>Distinct keys kept between flushes; past this (a flood of new addresses while the database is down), new keys are dropped.</summary>
    internal const int MaxPendingKeys = 100_000;
    private readonly ConcurrentDictionary<DownloadEvent, long> _pending = new();
    private int _pendingKeys;
    private readonly ConcurrentDictionary<IPAddress, string> _addressHashes = new();
    private readonly byte[] _ipKey;
    private readonly string _unknownAddressHash;
    private readonly TimeProvider _time;
    private UtcDay _today = new(-1, "");

    public DownloadRecorder(IOptions<DownloadsOptions> options, SigningKeyProvider keys, TimeProvider time)
    {
        _time = time;
        _ipKey = string.IsNullOrEmpty(options.Value.IpHashKey)
            ? HMACSHA256.HashData(keys.Key, "synapse download ip hash"u8)
            : Encoding.UTF8.GetBytes(options.Value.IpHashKey);
        _unknownAddressHash = Hash("unknown"u8);
    }

    /// <summary>Whether counts are waiting to be written.</summary>
    public bool HasPending => Volatile.Read(ref _pendingKeys) > 0;

    public void Record(long packageId, string canonicalName, long versionId, IPAddress? address) =>
        Add(new DownloadEvent(packageId, canonicalName, versionId, Today(), HashAddress(address)), 1, respectLimit: true);

    /// <summary>Puts counts that could not be written back, so the next flush writes them.</summary>
    internal void Restore(IEnumerable<KeyValuePair<DownloadEvent, long>> counts)
    {
        foreach (var (key, count) in counts)
        {
            Add(key, count, respectLimit: false);
        }
    }

    /// <summary>Removes and returns up to <paramref name="maxKeys"/> pending counts; each count is taken exactly once.</summary>
    internal Dictionary<DownloadEvent, long> Take(int maxKeys)
    {
        var taken = new Dictionary<DownloadEvent, long>();
        foreach (var (key, _) in _pending)
        {
            if (taken.Count >= maxKeys)
            {
                break;
            }
            // Removed only if unchanged since read, so a download recorded meanwhile is not lost.
            while (_pending.TryGetValue(key, out var count))
            {
                if (_pending.TryRemove(new KeyValuePair<DownloadEvent, long>(key, count)))
                {
                    Interlocked.Decrement(ref _pendingKeys);
                    taken[key] = count;
                    break;
                }
            }
        }
        return taken;
    }

    private void Add(DownloadEvent key, long count, bool respectLimit)
    {
        while (true)
        {
            if (_pending.TryGetValue(key, out var current))
            {
                if (_pending.TryUpdate(key, current + count, current))
                {
                    return;
                }
            }
            else if (respectLimit && Volatile.Read(ref _pendingKeys) >= MaxPendingKeys)
            {
                return;
            }
            else if (_pending.TryAdd(key, count))
            {
                Interlocked.Increment(ref _pendingKeys);
                return;
            }
        }
    }

    /// <summary>Keyed hash, so the stored value cannot be reversed by hashing every possible address.</summary>
    public string HashAddress(IPAddress? address)
    {
        if (address is null)
        {
            return _unknownAddressHash;
        }
        if (_addressHashes.TryGetValue(address, out var known))
        {
            return known;
        }
        if (_addressHashes.Count >= MaxRememberedAddresses)
        {
            _addressHashes.Clear();
        }
        Span<byte> text = stackalloc byte[64];
        var hash = address.TryFormat(text, out var length) ? Hash(text[..length]) : Hash(Encoding.UTF8.GetBytes(address.ToString()));
        _addressHashes[address] = hash;
        return hash;
    }

    private string Hash(ReadOnlySpan<byte> addressText)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_ipKey, addressText, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>The UTC date as stored (<c>yyyy-MM-dd</c>), formatted once a day.</summary>
    private string Today()
    {
        var now = _time.GetUtcNow();
        var day = now.UtcTicks / TimeSpan.TicksPerDay;
        var today = Volatile.Read(ref _today);
        if (today.Number != day)
        {
            today = new UtcDay(day, now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Volatile.Write(ref _today, today);
        }
        return today.Text;
    }

    private sealed record UtcDay(long Number, string Text);
}

/// <summary>Drains <see cref="DownloadRecorder"/> every flush interval into the database in one transaction per batch.</summary>
internal sealed class DownloadFlusher(
    DownloadRecorder recorder, IServiceScopeFactory scopes, IOptions<DownloadsOptions> options, ILogger<DownloadFlusher> logger) : BackgroundService
{
    /// <summary>Rows per upsert statement: 4 parameters each, well under SQLite's and PostgreSQL's parameter limits.</summary>
    private const int RowsPerStatement = 200;
    private const int KeysPerTransaction = 10_000;
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
            while (recorder.HasPending)
            {
                var batch = recorder.Take(KeysPerTransaction);
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
                    recorder.Restore(batch);
                    throw;
                }
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
            foreach (var rows in batch.Chunk(RowsPerStatement))
            {
                await AddDailyCountsAsync(db, rows, cancellationToken);
            }
            foreach (var (versionId, count) in Totals(batch, item => item.VersionId))
            {
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE \"PackageVersions\" SET \"Downloads\" = \"Downloads\" + {count} WHERE \"Id\" = {versionId}", cancellationToken);
            }
            foreach (var (packageId, count) in Totals(batch, item => item.PackageId))
            {
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE \"Packages\" SET \"Downloads\" = \"Downloads\" + {count} WHERE \"Id\" = {packageId}", cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var name in batch.Keys.Select(k => k.CanonicalName).Distinct())
        {
            await notifier.DownloadsCountedAsync(name, cancellationToken);
        }
    }

    /// <summary>One statement adds each (version, day, address hash) count, inserting the rows that do not exist yet.</summary>
    private static Task<int> AddDailyCountsAsync(RegistryDbContext db, KeyValuePair<DownloadEvent, long>[] rows, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO \"Downloads\" (\"PackageVersionId\", \"Day\", \"IpHash\", \"Count\") VALUES ");
        var parameters = new object[rows.Length * 4];
        for (var i = 0; i < rows.Length; i++)
        {
            var ((_, _, versionId, day, ipHash), count) = rows[i];
            var first = i * 4;
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{{first}}}, {{{first + 1}}}, {{{first + 2}}}, {{{first + 3}}})");
            parameters[first] = versionId;
            parameters[first + 1] = day;
            parameters[first + 2] = ipHash;
            parameters[first + 3] = count;
        }
        sql.Append(" ON CONFLICT (\"PackageVersionId\", \"Day\", \"IpHash\") DO UPDATE SET \"Count\" = \"Downloads\".\"Count\" + excluded.\"Count\"");
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }

    private static Dictionary<long, long> Totals(Dictionary<DownloadEvent, long> batch, Func<DownloadEvent, long> key)
    {
        var totals = new Dictionary<long, long>();
        foreach (var (item, count) in batch)
        {
            totals[key(item)] = totals.GetValueOrDefault(key(item)) + count;
        }
        return totals;
    }

    public override void Dispose()
    {
        _flushLock.Dispose();
        base.Dispose();
    }
}
