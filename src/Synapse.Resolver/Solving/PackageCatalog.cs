using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Synapse.Versioning;

namespace Synapse.Resolver.Solving;

/// <summary>
/// Fetches each package's metadata once, concurrently. When a package arrives, the dependencies
/// of its preferred version are queued so the solver can start fetching them before it needs them.
/// Each package gets the next small <see cref="PackageUniverse.Id"/> when its fetch starts.
/// </summary>
internal sealed class PackageCatalog
{
    private readonly IPackageSource _source;
    private readonly CancellationToken _cancellationToken;
    private readonly Func<string, SemanticVersion?> _lockedVersion;
    private readonly ConcurrentDictionary<string, Lazy<Task<PackageUniverse>>> _packages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _prefetch = new();
    private readonly Dictionary<string, PackageUniverse> _ready = new(StringComparer.Ordinal);
    private int _fetched;
    private int _ids;

    public PackageCatalog(IPackageSource source, Func<string, SemanticVersion?> lockedVersion, CancellationToken cancellationToken)
    {
        _source = source;
        _lockedVersion = lockedVersion;
        _cancellationToken = cancellationToken;
    }

    public int Fetched => Volatile.Read(ref _fetched);

    /// <summary>An id no other package of this resolution has.</summary>
    public int NextId() => Interlocked.Increment(ref _ids) - 1;

    public void Add(PackageUniverse universe) =>
        _packages[universe.Name] = new Lazy<Task<PackageUniverse>>(Task.FromResult(universe));

    /// <summary>Starts fetching (if not started) and returns the pending metadata.</summary>
    public Task<PackageUniverse> GetAsync(string name) => (_packages.TryGetValue(name, out var known) ? known : Start(name)).Value;

    private Lazy<Task<PackageUniverse>> Start(string name) =>
        _packages.GetOrAdd(name, static (n, catalog) => new Lazy<Task<PackageUniverse>>(() => catalog.FetchAsync(n)), this);

    /// <summary>Metadata already fetched (every package that appears in a term has been).</summary>
    public PackageUniverse Get(string name)
    {
        if (TryGet(name, out var universe)) return universe;
        universe = GetAsync(name).GetAwaiter().GetResult();
        _ready[name] = universe;
        return universe;
    }

    /// <summary>The metadata if it has arrived; false while it is still being fetched or not asked for yet.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out PackageUniverse? universe)
    {
        // Only the solver's thread (or the failure reporter after it) asks, and far more often than
        // packages arrive: a plain dictionary spares the concurrent lookup and the Lazy.
        if (_ready.TryGetValue(name, out universe)) return true;
        if (_packages.TryGetValue(name, out var known) && known.IsValueCreated && known.Value.IsCompletedSuccessfully)
        {
            universe = known.Value.Result;
            _ready[name] = universe;
            return true;
        }
        return false;
    }

    /// <summary>Starts the fetches queued by packages that arrived meanwhile.</summary>
    public void StartPrefetches()
    {
        while (_prefetch.TryDequeue(out var name))
        {
            if (!_packages.ContainsKey(name)) _ = Start(name).Value;
        }
    }

    private async Task<PackageUniverse> FetchAsync(string name)
    {
        Interlocked.Increment(ref _fetched);
        var published = await _source.GetVersionsAsync(name, _cancellationToken).ConfigureAwait(false);
        var universe = new PackageUniverse(name, published ?? [], _lockedVersion(name), NextId());
        var preferred = universe.LockedIndex >= 0 ? universe.LockedIndex : universe.Count - 1;
        if (preferred >= 0)
        {
            foreach (var dependency in universe.Versions[preferred].SortedRequirements)
            {
                if (!_packages.ContainsKey(dependency.Name)) _prefetch.Enqueue(dependency.Name);
            }
        }
        return universe;
    }
}
