using System.Collections.Concurrent;

namespace Synapse.Resolver;

/// <summary>A package source held entirely in memory (tests, benchmarks, pre-fetched metadata).</summary>
public sealed class InMemoryPackageSource : IPackageSource
{
    private readonly ConcurrentDictionary<string, PublishedVersions> _packages = new(StringComparer.Ordinal);

    /// <summary>Adds one version of a package.</summary>
    public InMemoryPackageSource Add(string name, PackageVersionInfo version)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(version);
        _packages.GetOrAdd(name, _ => new PublishedVersions()).Add(version);
        return this;
    }

    /// <summary>Adds one version of a package, parsing the version and its dependency ranges.</summary>
    public InMemoryPackageSource Add(string name, string version, params (string Name, string Range)[] dependencies) =>
        Add(name, PackageVersionInfo.Parse(version, dependencies.Select(d => KeyValuePair.Create(d.Name, d.Range))));

    /// <summary>Names of all packages held.</summary>
    public IEnumerable<string> PackageNames => _packages.Keys;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<PackageVersionInfo>>(_packages.TryGetValue(name, out var versions) ? versions.Snapshot() : []);

    /// <summary>
    /// One package's versions. Every resolution gets the same array until a version is added: the
    /// array is never changed once handed out, so nothing is copied per call.
    /// </summary>
    private sealed class PublishedVersions
    {
        private readonly List<PackageVersionInfo> _versions = [];
        private PackageVersionInfo[]? _snapshot;

        public void Add(PackageVersionInfo version)
        {
            lock (_versions)
            {
                _versions.Add(version);
                _snapshot = null;
            }
        }

        public PackageVersionInfo[] Snapshot()
        {
            lock (_versions) return _snapshot ??= [.. _versions];
        }
    }
}
