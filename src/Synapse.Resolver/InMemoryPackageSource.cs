using System.Collections.Concurrent;

namespace Synapse.Resolver;

/// <summary>A package source held entirely in memory (tests, benchmarks, pre-fetched metadata).</summary>
public sealed class InMemoryPackageSource : IPackageSource
{
    private readonly ConcurrentDictionary<string, List<PackageVersionInfo>> _packages = new(StringComparer.Ordinal);

    /// <summary>Adds one version of a package.</summary>
    public InMemoryPackageSource Add(string name, PackageVersionInfo version)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(version);
        var versions = _packages.GetOrAdd(name, _ => []);
        lock (versions) versions.Add(version);
        return this;
    }

    /// <summary>Adds one version of a package, parsing the version and its dependency ranges.</summary>
    public InMemoryPackageSource Add(string name, string version, params (string Name, string Range)[] dependencies) =>
        Add(name, PackageVersionInfo.Parse(version, dependencies.Select(d => KeyValuePair.Create(d.Name, d.Range))));

    /// <summary>Names of all packages held.</summary>
    public IEnumerable<string> PackageNames => _packages.Keys;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken)
    {
        if (!_packages.TryGetValue(name, out var versions)) return ValueTask.FromResult<IReadOnlyList<PackageVersionInfo>>([]);
        lock (versions) return ValueTask.FromResult<IReadOnlyList<PackageVersionInfo>>(versions.ToArray());
    }
}
