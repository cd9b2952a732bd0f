using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Synapse.Versioning;

namespace Synapse.Resolver.Solving;

/// <summary>
/// Fetches each package's metadata once, concurrently. When a package arrives, the dependencies
/// of its preferred version are queued so the solver can start fetching them before it needs them.
/// Each package name gets the next small <see cref="PackageUniverse.Id"/> when it is first mentioned,
/// so a version's requirements can be resolved to ids while its metadata is being read anyway.
/// </summary>
/// <remarks>
/// Only the solver's thread (or the failure reporter after it) starts fetches and reads the
/// tables; a fetch that completes later only touches its own task and the prefetch queue.
/// A source that answers synchronously (metadata already in memory) costs no task, closure or
/// concurrent lookup per package: its answer is kept as it is, and its preferred version learns
/// its dependencies' ids on arrival, so deciding it looks up no names.
/// </remarks>
internal sealed class PackageCatalog
{
    private readonly IPackageSource _source;
    private readonly CancellationToken _cancellationToken;
    private readonly Func<string, SemanticVersion?> _lockedVersion;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly PackageTable<Package> _packages = new();
    // Only fetches that did not complete at once; a source with everything in memory leaves it empty.
    private readonly Dictionary<int, Task<PackageUniverse>> _inFlight = [];
    // Arrivals on the solver's thread queue the ids they found unknown; arrivals off it cannot
    // read the tables, so they queue names, which are filtered when dequeued.
    private readonly Queue<int> _toStart = new();
    private readonly ConcurrentQueue<string> _arrivedElsewhere = new();
    private int _fetched;

    public PackageCatalog(IPackageSource source, Func<string, SemanticVersion?> lockedVersion, CancellationToken cancellationToken)
    {
        _source = source;
        _lockedVersion = lockedVersion;
        _cancellationToken = cancellationToken;
    }

    public int Fetched => _fetched;

    /// <summary>The package's id, given now if the name was never mentioned before; nothing is fetched.</summary>
    public int IdFor(string name)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, name, out var known);
        if (!known)
        {
            id = _ids.Count - 1;
            _packages[id].Name = name;
        }
        return id;
    }

    /// <summary>Makes <paramref name="universe"/> (built with <see cref="IdFor"/>'s id) the package's metadata.</summary>
    public void Add(PackageUniverse universe) => _packages[universe.Id].Ready = universe;

    /// <summary>Starts fetching (if not started) and returns the pending metadata.</summary>
    public Task<PackageUniverse> GetAsync(int id)
    {
        if (TryGet(id, out var universe)) return Task.FromResult(universe);
        if (!IsStarted(id))
        {
            Start(id);
            if (_packages[id].Ready is { } ready) return Task.FromResult(ready);
        }
        return _inFlight[id];
    }

    /// <summary>Metadata already fetched (every package that appears in a term has been).</summary>
    public PackageUniverse Get(int id) =>
        TryGet(id, out var universe) ? universe : GetAsync(id).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get(int)"/>
    public PackageUniverse Get(string name) => Get(IdFor(name));

    /// <summary>The metadata if it has arrived; false while it is still being fetched or not asked for yet.</summary>
    public bool TryGet(int id, [NotNullWhen(true)] out PackageUniverse? universe)
    {
        universe = _packages[id].Ready;
        if (universe is not null) return true;
        if (_inFlight.TryGetValue(id, out var fetch) && fetch.IsCompletedSuccessfully)
        {
            universe = _packages[id].Ready = fetch.Result;
            _inFlight.Remove(id);
            return true;
        }
        return false;
    }

    /// <summary>Starts the fetches queued by packages that arrived meanwhile.</summary>
    public void StartPrefetches()
    {
        while (true)
        {
            if (_toStart.TryDequeue(out var id))
            {
                if (!IsStarted(id)) Start(id);
            }
            else if (_arrivedElsewhere.TryDequeue(out var name))
            {
                var mentioned = IdFor(name);
                if (!IsStarted(mentioned)) Start(mentioned);
            }
            else
            {
                return;
            }
        }
    }

    private bool IsStarted(int id) => _packages[id].Ready is not null || _inFlight.ContainsKey(id);

    /// <summary>
    /// Asks the source; an answer available at once is built into a universe right away. Errors
    /// (thrown or faulted) are kept in the package's task, so they surface only where the package is needed.
    /// </summary>
    private void Start(int id)
    {
        _fetched++;
        var name = _packages[id].Name;
        try
        {
            var published = _source.GetVersionsAsync(name, _cancellationToken);
            // Each result goes to a local first: building a universe mentions new names, which can grow the table.
            if (published.IsCompletedSuccessfully)
            {
                var universe = ArrivedHere(name, id, published.Result);
                _packages[id].Ready = universe;
                return;
            }
            _inFlight[id] = ArrivalAsync(name, id, published);
        }
        catch (Exception error)
        {
            _inFlight[id] = Task.FromException<PackageUniverse>(error);
        }
    }

    /// <summary>
    /// On the solver's thread: the preferred version's dependencies get their ids now, while its
    /// requirements are in cache, and those not fetched yet are queued.
    /// </summary>
    private PackageUniverse ArrivedHere(string name, int id, IReadOnlyList<PackageVersionInfo>? published)
    {
        var universe = new PackageUniverse(name, published ?? [], _lockedVersion(name), id);
        if (universe.PreferredIndex is var preferred and >= 0)
        {
            var requirements = universe.SortedRequirements(preferred);
            var ids = new int[requirements.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                var dependency = ids[i] = IdFor(requirements[i].Name);
                if (!IsStarted(dependency)) _toStart.Enqueue(dependency);
            }
            universe.SetDependencyIds(preferred, ids);
        }
        return universe;
    }

    private async Task<PackageUniverse> ArrivalAsync(string name, int id, ValueTask<IReadOnlyList<PackageVersionInfo>> published)
    {
        var universe = new PackageUniverse(name, await published.ConfigureAwait(false) ?? [], _lockedVersion(name), id);
        if (universe.PreferredIndex is var preferred and >= 0)
        {
            foreach (var dependency in universe.SortedRequirements(preferred)) _arrivedElsewhere.Enqueue(dependency.Name);
        }
        return universe;
    }

    private struct Package
    {
        public string Name;

        /// <summary>The metadata, once it has arrived and the solver's thread has seen it.</summary>
        public PackageUniverse? Ready;
    }
}
