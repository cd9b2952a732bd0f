using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Synapse.Registry.Packages;

/// <summary>
/// Serialized package and versions documents with their ETags, per canonical package name, for this instance.
/// Invalidated through <see cref="IPackageChangeNotifier"/> on every change.
/// </summary>
internal sealed class MetadataCache
{
    private const int MaxEntries = 20_000;
    private readonly ConcurrentDictionary<(string Name, string Kind), CachedDocument> _entries = new();

    public CachedDocument? Get(string canonicalName, string kind) => _entries.GetValueOrDefault((canonicalName, kind));

    public CachedDocument Set(string canonicalName, string kind, byte[] body)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        var document = CachedDocument.For(body);
        _entries[(canonicalName, kind)] = document;
        return document;
    }

    public void Invalidate(string canonicalName)
    {
        foreach (var key in _entries.Keys)
        {
            if (key.Name == canonicalName)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    public void Clear() => _entries.Clear();
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
}

internal sealed class LocalPackageChangeNotifier(MetadataCache cache) : IPackageChangeNotifier
{
    public ValueTask PackageChangedAsync(string canonicalName, CancellationToken cancellationToken)
    {
        cache.Invalidate(canonicalName);
        return ValueTask.CompletedTask;
    }
}
