using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Synapse.Registry.Packages;

/// <summary>The cached documents of a package.</summary>
internal enum DocumentKind
{
    /// <summary><c>GET /api/v1/packages/{name}</c>: includes the download count.</summary>
    Package,
    /// <summary><c>GET /api/v1/packages/{name}/versions</c>: what a resolver reads.</summary>
    Versions,
}

/// <summary>
/// Serialized package and versions documents with their ETags, per canonical package name, for this instance, and
/// where each version's tarball lives (<see cref="TarballEntry"/>). Invalidated through
/// <see cref="IPackageChangeNotifier"/> on every change.
/// </summary>
internal sealed class MetadataCache
{
    private const int MaxEntries = 20_000;
    private const int MaxTarballEntries = 50_000;
    private readonly ConcurrentDictionary<(string Name, DocumentKind Kind), CachedDocument> _entries = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, TarballEntry>> _tarballs = new(StringComparer.Ordinal);
    private long _tarballCount;
    private long _generation;

    /// <summary>Changes on every invalidation; read it before a database lookup and hand it to <see cref="Set"/> or <see cref="SetTarball"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public TarballEntry? GetTarball(string canonicalName, string normalizedVersion) =>
        _tarballs.TryGetValue(canonicalName, out var versions) && versions.TryGetValue(normalizedVersion, out var entry) ? entry : null;

    /// <summary>
    /// Remembers a tarball location read from the database, unless the package was invalidated since
    /// <paramref name="generationBeforeLookup"/> (the row read may already be stale, e.g. deleted meanwhile).
    /// </summary>
    public void SetTarball(TarballEntry entry, long generationBeforeLookup)
    {
        if (Interlocked.Read(ref _tarballCount) >= MaxTarballEntries)
        {
            ClearTarballs();
        }
        var versions = _tarballs.GetOrAdd(entry.CanonicalName, static _ => new ConcurrentDictionary<string, TarballEntry>(StringComparer.Ordinal));
        if (versions.TryAdd(entry.NormalizedVersion, entry))
        {
            Interlocked.Increment(ref _tarballCount);
        }
        // An invalidation that raced with this lookup bumped the generation first: drop what may be stale.
        if (Generation != generationBeforeLookup)
        {
            _tarballs.TryRemove(entry.CanonicalName, out _);
        }
    }

    public CachedDocument? Get(string canonicalName, DocumentKind kind) => _entries.GetValueOrDefault((canonicalName, kind));

    /// <summary>
    /// Wraps <paramref name="body"/> with its ETag and keeps it, unless something was invalidated since
    /// <paramref name="generationBeforeLookup"/>: the rows it was built from may predate that change.
    /// </summary>
    public CachedDocument Set(string canonicalName, DocumentKind kind, byte[] body, long generationBeforeLookup)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        var document = CachedDocument.For(body);
        _entries[(canonicalName, kind)] = document;
        if (Generation != generationBeforeLookup)
        {
            _entries.TryRemove(new KeyValuePair<(string, DocumentKind), CachedDocument>((canonicalName, kind), document));
        }
        return document;
    }

    /// <summary>Everything cached about the package: its metadata or its versions changed.</summary>
    public void Invalidate(string canonicalName)
    {
        Interlocked.Increment(ref _generation);
        if (_tarballs.TryRemove(canonicalName, out var versions))
        {
            Interlocked.Add(ref _tarballCount, -versions.Count);
        }
        _entries.TryRemove((canonicalName, DocumentKind.Package), out _);
        _entries.TryRemove((canonicalName, DocumentKind.Versions), out _);
    }

    /// <summary>Only the package document (which shows the download count): new downloads were counted.</summary>
    public void InvalidateDownloadCount(string canonicalName)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove((canonicalName, DocumentKind.Package), out _);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        ClearTarballs();
    }

    private void ClearTarballs()
    {
        _tarballs.Clear();
        Interlocked.Exchange(ref _tarballCount, 0);
    }
}

/// <summary>
/// What serving one version's tarball needs, immutable while the version exists (yanking does not change it;
/// deleting invalidates the package). <see cref="Sha256"/> is also the blob key and the ETag.
/// </summary>
internal sealed record TarballEntry(long PackageId, long VersionId, string CanonicalName, string Name, string Version,
    string NormalizedVersion, string Sha256, long Size, DateTimeOffset PublishedAt)
{
    public string ETag { get; } = "\"" + Sha256 + "\"";

    public EntityTagHeaderValue EntityTag { get; } = new("\"" + Sha256 + "\"");

    /// <summary>The <c>Content-Disposition</c> value naming the file <c>{name}-{version}.tgz</c>.</summary>
    public string ContentDisposition { get; } = AttachmentNamed($"{Name}-{Version}.tgz");

    private static string AttachmentNamed(string fileName)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        return disposition.ToString();
    }
}

internal sealed record CachedDocument(byte[] Body, string ETag)
{
    public static CachedDocument For(byte[] body) =>
        new(body, "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16)) + "\"");
}

/// <summary>
/// Told about every change to a package's metadata. The default clears this instance's cache; a multi-instance
/// deployment adds a notifier that also tells the other instances (e.g. Redis pub/sub).
/// </summary>
internal interface IPackageChangeNotifier
{
    ValueTask PackageChangedAsync(string canonicalName, CancellationToken cancellationToken);

    /// <summary>New downloads of the package were counted: only documents showing the count are stale.</summary>
    ValueTask DownloadsCountedAsync(string canonicalName, CancellationToken cancellationToken);
}

internal sealed class LocalPackageChangeNotifier(MetadataCache cache) : IPackageChangeNotifier
{
    public ValueTask PackageChangedAsync(string canonicalName, CancellationToken cancellationToken)
    {
        cache.Invalidate(canonicalName);
        return ValueTask.CompletedTask;
    }

    public ValueTask DownloadsCountedAsync(string canonicalName, CancellationToken cancellationToken)
    {
        cache.InvalidateDownloadCount(canonicalName);
        return ValueTask.CompletedTask;
    }
}
