using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Synapse.Versioning;

namespace Synapse.Resolver.Solving;

/// <summary>
/// Fetches each package's metadata once, concurrently. When a package arrives, the dependencies
/// of its preferred version are queued so the solver can start fetching them before it needs them.
/// Each package gets the next small <see cref="PackageUniverse.Id"/> when its metadata arrives.
/// </summary>
/// <remarks>
/// Only the solver's thread (or the failure reporter after it) starts fetches and reads the two
/// dictionaries; a fetch that completes later only touches its own task and the prefetch queue.
/// A source that answers synchronously (metadata already in memory) costs no task, closure or
/// concurrent lookup per package: its answer goes straight into <see cref="_ready"/>.
/// </remarks>
internal sealed class PackageCatalog
{
    private readonly IPackageSource _source;
    private readonly CancellationToken _cancellationToken;
    private readonly Func<string, SemanticVersion?> _lockedVersion;
    private readonly Dictionary<string, PackageUniverse> _ready = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<PackageUniverse>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _prefetch = new();
    private int _fetched;
    private int _ids;

    public PackageCatalog(IPackageSource source, Func<string, SemanticVersion?> lockedVersion, CancellationToken cancellationToken)
    {
        _source = source;
        _lockedVersion = lockedVersion;
        _cancellationToken = cancellationToken;
    }

    public int Fetched => _fetched;

    /// <summary>An id no other package of this resolution has.</summary>
    public int NextId() => Interlocked.Increment(ref _ids) - 1;

    public void Add(PackageUniverse universe) => _ready[universe.Name] = universe;

    /// <summary>Starts fetching (if not started) and returns the pending metadata.</summary>
    public Task<PackageUniverse> GetAsync(string name)
    {
        if (TryGet(name, out var universe)) return Task.FromResult(universe);
        if (!_inFlight.TryGetValue(name, out var fetch))
        {
            Start(name);
            if (_ready.TryGetValue(name, out universe)) return Task.FromResult(universe);
            fetch = _inFlight[name];
        }
        return fetch;
    }

    /// <summary>Metadata already fetched (every package that appears in a term has been).</summary>
    public PackageUniverse Get(string name) =>
        TryGet(name, out var universe) ? universe : GetAsync(name).GetAwaiter().GetResult();

    /// <summary>The metadata if it has arrived; false while it is still being fetched or not asked for yet.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out PackageUniverse? universe)
    {
        if (_ready.TryGetValue(name, out universe)) return true;
        if (_inFlight.TryGetValue(name, out var fetch) && fetch.IsCompletedSuccessfully)
        {
            universe = fetch.Result;
            _ready[name] = universe;
            _inFlight.Remove(name);
            return true;
        }
        return false;
    }

    /// <summary>Starts the fetches queued by packages that arrived meanwhile.</summary>
    public void StartPrefetches()
    {
        while (_prefetch.TryDequeue(out var name))
        {
            if (!IsKnown(name)) Start(name);
        }
    }

    /// <summary>
    /// Asks the source; an answer available at once is built into a universe right away. Errors
    /// (thrown or faulted) are kept in the package's task, so they surface only where the package is needed.
    /// </summary>
    private void Start(string name)
    {
        _fetched++;
        try
        {
            var published = _source.GetVersionsAsync(name, _cancellationToken);
            if (published.IsCompletedSuccessfully)
            {
                _ready[name] = Arrived(name, published.Result, onSolverThread: true);
                return;
            }
            _inFlight[name] = ArrivalAsync(name, published);
        }
        catch (Exception error)
        {
            _inFlight[name] = Task.FromException<PackageUniverse>(error);
        }
    }

    private async Task<PackageUniverse> ArrivalAsync(string name, ValueTask<IReadOnlyList<PackageVersionInfo>> published) =>
        Arrived(name, await published.ConfigureAwait(false), onSolverThread: false);

    /// <summary>
    /// Builds the universe and queues its preferred version's dependencies for prefetching. Off the
    /// solver's thread the dictionaries cannot be read, so every name is queued and filtered when dequeued.
    /// </summary>
    private PackageUniverse Arrived(string name, IReadOnlyList<PackageVersionInfo>? published, bool onSolverThread)
    {
        var universe = new PackageUniverse(name, published ?? [], _lockedVersion(name), NextId());
        var preferred = universe.LockedIndex >= 0 ? universe.LockedIndex : universe.Count - 1;
        if (preferred >= 0)
        {
            foreach (var dependency in universe.Versions[preferred].SortedRequirements)
            {
                if (!onSolverThread || !IsKnown(dependency.Name)) _prefetch.Enqueue(dependency.Name);
            }
        }
        return universe;
    }

    private bool IsKnown(string name) => _ready.ContainsKey(name) || _inFlight.ContainsKey(name);
}
