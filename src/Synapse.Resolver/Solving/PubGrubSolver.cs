using Synapse.Versioning;

namespace Synapse.Resolver.Solving;

/// <summary>
/// One run of PubGrub (Dart pub's doc/solver.md): unit propagation, decisions on the package with
/// the fewest candidate versions (highest first, locked first), conflict resolution that learns
/// incompatibilities and backjumps.
/// </summary>
internal sealed class PubGrubSolver
{
    private readonly ResolveRequest _request;
    private readonly PackageCatalog _catalog;
    private readonly string _root;
    private int _rootId;
    private readonly PartialSolution _solution = new();
    // Everything the solver keeps per package side by side, so touching a package is one memory access.
    private readonly PackageTable<SolverPackage> _packages = new();
    private readonly PriorityQueue<int, CandidatePriority> _candidates = new(CandidatePriority.Comparer);
    private readonly Queue<int> _changed = new();
    private PackageUniverse[] _dependencies = new PackageUniverse[16];
    private Task[] _fetches = new Task[16];
    private int _decisions;
    private int _propagations;
    private int _conflicts;
    private int _backjumps;

    public PubGrubSolver(ResolveRequest request, PackageCatalog catalog)
    {
        _request = request;
        _catalog = catalog;
        _root = request.RootName;
        _solution.UndecidedChanged = QueueCandidate;
    }

    public ResolverStatistics Statistics => new(_decisions, _propagations, _conflicts, _backjumps, _catalog.Fetched);

    public async Task<Resolution> SolveAsync(CancellationToken cancellationToken)
    {
        var rootUniverse = new PackageUniverse(_root, [RootVersion()], null, _catalog.IdFor(_root));
        _catalog.Add(rootUniverse);
        _packages[rootUniverse.Id].Universe = rootUniverse;
        AddIncompatibility(Incompatibility.External(IncompatibilityKind.Root, new Term(rootUniverse, rootUniverse.Full, false)));

        _rootId = rootUniverse.Id;
        var next = _rootId;
        while (next >= 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Propagate(next);
            _catalog.StartPrefetches();
            next = await ChoosePackageVersionAsync().ConfigureAwait(false);
        }
        return BuildResolution();
    }

    private PackageVersionInfo RootVersion()
    {
        var requirements = new Dictionary<string, Requirement>(StringComparer.Ordinal);
        foreach (var requirement in _request.Dependencies.Concat(_request.DevDependencies))
        {
            if (requirement.Name == _root)
            {
                throw new ArgumentException($"{_root} cannot depend on itself.", nameof(_request));
            }
            if (requirements.TryGetValue(requirement.Name, out var earlier))
            {
                requirements[requirement.Name] = new Requirement(
                    requirement.Name, earlier.Range.Intersect(requirement.Range), $"{earlier.Text} {requirement.Text}");
            }
            else
            {
                requirements[requirement.Name] = requirement;
            }
        }
        return new PackageVersionInfo(_request.RootVersion ?? SemanticVersion.Parse("0.0.0"), requirements.Values);
    }

    /// <summary>A package's own dependencies and its dependents' usually make several; growing from 4 copied twice.</summary>
    private const int InitialIncompatibilityCapacity = 8;

    private void AddIncompatibility(Incompatibility incompatibility)
    {
        foreach (var term in incompatibility.Terms)
        {
            ref var state = ref _packages[term.PackageId];
            var list = state.Incompatibilities ??= new Incompatibility[InitialIncompatibilityCapacity];
            if (state.IncompatibilityCount == list.Length) Array.Resize(ref state.Incompatibilities, list.Length * 2);
            state.Incompatibilities[state.IncompatibilityCount++] = incompatibility;
        }
    }

    private void Propagate(int package)
    {
        var changed = _changed;
        var packages = _packages;
        changed.Enqueue(package);
        packages[package].Queued = true;
        while (changed.TryDequeue(out var current))
        {
            ref var state = ref packages[current];
            state.Queued = false;
            // Read once: the loop ends at a conflict, the only step that adds incompatibilities.
            if (state.Incompatibilities is not { } list) continue;
            // Newest first: learned incompatibilities are the most general, so they find conflicts soonest.
            for (var i = state.IncompatibilityCount - 1; i >= 0; i--)
            {
                var incompatibility = list[i];
                var result = PropagateIncompatibility(incompatibility, out var derived);
                if (result == PropagationResult.Conflict)
                {
                    var rootCause = ResolveConflict(incompatibility);
                    while (changed.TryDequeue(out var dropped)) packages[dropped].Queued = false;
                    if (PropagateIncompatibility(rootCause, out var afterBackjump) != PropagationResult.Derived)
                    {
                        throw new InvalidOperationException($"Resolver bug: {rootCause} derived nothing after backjumping.");
                    }
                    changed.Enqueue(afterBackjump);
                    packages[afterBackjump].Queued = true;
                    break;
                }
                if (result == PropagationResult.Derived && !packages[derived].Queued)
                {
                    packages[derived].Queued = true;
                    changed.Enqueue(derived);
                }
            }
        }
    }

    private enum PropagationResult
    {
        None,
        Derived,
        Conflict,
    }

    private PropagationResult PropagateIncompatibility(Incompatibility incompatibility, out int derivedPackage)
    {
        derivedPackage = -1;
        Term? unsatisfied = null;
        foreach (var term in incompatibility.Terms)
        {
            var relation = _solution.Relation(term);
            if (relation == SetRelation.Disjoint) return PropagationResult.None;
            if (relation == SetRelation.Overlapping)
            {
                if (unsatisfied is not null) return PropagationResult.None;
                unsatisfied = term;
            }
        }
        if (unsatisfied is null) return PropagationResult.Conflict;
        _solution.Derive(unsatisfied.Inverse, incompatibility);
        _propagations++;
        derivedPackage = unsatisfied.PackageId;
        return PropagationResult.Derived;
    }

    private Incompatibility ResolveConflict(Incompatibility incompatibility)
    {
        _conflicts++;
        var learned = false;
        while (!incompatibility.IsFailure(_root))
        {
            Term? mostRecentTerm = null;
            Assignment? mostRecentSatisfier = null;
            Term? difference = null;
            // Stopping at level 1 (the root's decision) rather than 0 gives better error messages.
            var previousSatisfierLevel = 1;
            foreach (var term in incompatibility.Terms)
            {
                var satisfier = _solution.Satisfier(term);
                if (mostRecentSatisfier is null)
                {
                    mostRecentTerm = term;
                    mostRecentSatisfier = satisfier;
                }
                else if (mostRecentSatisfier.Index < satisfier.Index)
                {
                    previousSatisfierLevel = Math.Max(previousSatisfierLevel, mostRecentSatisfier.DecisionLevel);
                    mostRecentTerm = term;
                    mostRecentSatisfier = satisfier;
                    difference = null;
                }
                else
                {
                    previousSatisfierLevel = Math.Max(previousSatisfierLevel, satisfier.DecisionLevel);
                }

                if (ReferenceEquals(mostRecentTerm, term))
                {
                    // The satisfier may only satisfy the term together with earlier assignments.
                    difference = mostRecentSatisfier.Term.Difference(mostRecentTerm);
                    if (difference is not null)
                    {
                        previousSatisfierLevel = Math.Max(previousSatisfierLevel, _solution.Satisfier(difference.Inverse).DecisionLevel);
                    }
                }
            }

            if (previousSatisfierLevel < mostRecentSatisfier!.DecisionLevel || mostRecentSatisfier.IsDecision)
            {
                _solution.Backtrack(previousSatisfierLevel);
                _backjumps++;
                if (learned) AddIncompatibility(incompatibility);
                return incompatibility;
            }

            var cause = mostRecentSatisfier.Cause!;
            var newTerms = new List<Term>();
            foreach (var term in incompatibility.Terms)
            {
                if (!ReferenceEquals(term, mostRecentTerm)) newTerms.Add(term);
            }
            foreach (var term in cause.Terms)
            {
                if (term.PackageId != mostRecentSatisfier.Term.PackageId) newTerms.Add(term);
            }
            if (difference is not null) newTerms.Add(difference.Inverse);
            incompatibility = Incompatibility.Derived(newTerms, _root, incompatibility, cause);
            learned = true;
        }
        throw new SolveFailure(incompatibility);
    }

    /// <summary>
    /// Decides one package (or learns why it cannot be); returns its id, or -1 when every required
    /// package is decided. Completes synchronously once the metadata it needs has arrived.
    /// </summary>
    private async ValueTask<int> ChoosePackageVersionAsync()
    {
        if (_solution.UndecidedCount == 0) return -1;

        // Fewest candidate versions first (ties by name); entries made stale by later changes are skipped.
        var package = -1;
        while (_candidates.TryDequeue(out var candidate, out var priority))
        {
            if (_solution.IsUndecided(candidate) && CandidateCount(candidate) == priority.Count)
            {
                package = candidate;
                break;
            }
        }
        if (package < 0)
        {
            throw new InvalidOperationException("Resolver bug: undecided packages are missing from the decision queue.");
        }

        var universe = _packages[package].Universe;
        var allowed = _solution.TermFor(package)!.Set;
        var version = universe.LockedIndex >= 0 && allowed.Contains(universe.LockedIndex)
            ? universe.LockedIndex
            : allowed.HighestBelow(universe.Count);
        if (version < 0)
        {
            var kind = universe.Exists ? IncompatibilityKind.NoVersions : IncompatibilityKind.PackageNotFound;
            AddIncompatibility(Incompatibility.External(kind, new Term(universe, allowed, true)));
            QueueCandidate(package);
            return package;
        }

        var conflict = false;
        if (!universe.DependenciesAdded(version))
        {
            // First time this version is tried: add its dependencies. Later attempts (after a
            // backjump) find them already in place and already propagated.
            var requirements = universe.SortedRequirements(version);
            var dependencies = await DependenciesAsync(universe.DependencyIds(version) ?? LookUpDependencyIds(universe, version)).ConfigureAwait(false);
            var sameRequirements = universe.SameRequirementsRun(version);
            for (var i = 0; i < requirements.Length; i++)
            {
                var incompatibility = DependencyIncompatibility(universe, sameRequirements, requirements[i], dependencies[i]);
                if (incompatibility is null) continue;
                AddIncompatibility(incompatibility);
                conflict = conflict || AllSatisfiedExcept(incompatibility, package);
            }
            universe.MarkDependenciesAdded(version);
        }

        if (!conflict)
        {
            _solution.Decide(package, version, universe.Versions[version].Version, universe.Decision(version));
            _decisions++;
        }
        else
        {
            QueueCandidate(package);
        }
        return package;
    }

    /// <summary>The ids of a version's dependencies, when its metadata did not arrive on this thread (or it is not the preferred version).</summary>
    private int[] LookUpDependencyIds(PackageUniverse universe, int version)
    {
        var requirements = universe.SortedRequirements(version);
        var ids = new int[requirements.Length];
        for (var i = 0; i < ids.Length; i++) ids[i] = _catalog.IdFor(requirements[i].Name);
        universe.SetDependencyIds(version, ids);
        return ids;
    }

    /// <summary>
    /// The metadata of each dependency, in a buffer reused by the next call. Fetches not finished
    /// yet all start before the first wait; when everything has arrived nothing is awaited.
    /// </summary>
    private async ValueTask<PackageUniverse[]> DependenciesAsync(int[] ids)
    {
        if (_dependencies.Length < ids.Length)
        {
            _dependencies = new PackageUniverse[ids.Length];
            _fetches = new Task[ids.Length];
        }
        var pending = false;
        for (var i = 0; i < ids.Length; i++)
        {
            if (_catalog.TryGet(ids[i], out var ready))
            {
                _dependencies[i] = ready;
                _fetches[i] = Task.CompletedTask;
            }
            else
            {
                _fetches[i] = _catalog.GetAsync(ids[i]);
                pending = true;
            }
        }
        if (pending)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                await _fetches[i].ConfigureAwait(false);
                _dependencies[i] = _catalog.Get(ids[i]);
            }
        }
        for (var i = 0; i < ids.Length; i++) _packages[ids[i]].Universe = _dependencies[i];
        return _dependencies;
    }

    private bool AllSatisfiedExcept(Incompatibility incompatibility, int package)
    {
        foreach (var term in incompatibility.Terms)
        {
            if (term.PackageId != package && !_solution.Satisfies(term)) return false;
        }
        return true;
    }

    private void QueueCandidate(int package)
    {
        var universe = _packages[package].Universe;
        _candidates.Enqueue(package, new CandidatePriority(CandidateCount(package), universe.NameKey, universe.Name));
    }

    /// <summary>Fewest candidate versions first, then by name.</summary>
    private readonly record struct CandidatePriority(int Count, ulong NameKey, string Name)
    {
        public static readonly IComparer<CandidatePriority> Comparer = Comparer<CandidatePriority>.Create(static (a, b) =>
            a.Count != b.Count ? a.Count.CompareTo(b.Count) : NameOrder.Compare(a.NameKey, a.Name, b.NameKey, b.Name));
    }

    private int CandidateCount(int package)
    {
        var universe = _packages[package].Universe;
        var allowed = _solution.TermFor(package)!.Set;
        if (universe.LockedIndex >= 0 && allowed.Contains(universe.LockedIndex)) return 1;
        return allowed.CountBelow(universe.Count);
    }

    /// <summary>
    /// "versions first..last of package depend on requirement", spanning every adjacent version with
    /// the same requirement so one incompatibility covers them all. Null when already added.
    /// <paramref name="sameRequirements"/> (the versions around the chosen one that share all its
    /// requirements) is where the search starts, so usually no neighbour is looked up by name.
    /// </summary>
    private static Incompatibility? DependencyIncompatibility(
        PackageUniverse package, (int First, int Last) sameRequirements, Requirement requirement, PackageUniverse dependency)
    {
        // The catalog has one universe per name, so this is "the package depends on itself".
        if (ReferenceEquals(dependency, package)) return null;
        var first = sameRequirements.First;
        while (first > 0 && SameRequirement(package.Versions[first - 1], requirement)) first--;
        var last = sameRequirements.Last;
        while (last < package.Count - 1 && SameRequirement(package.Versions[last + 1], requirement)) last++;
        // The span is the maximal run sharing this requirement, so any version of it already tried added it.
        for (var tried = first; tried <= last; tried++)
        {
            if (package.DependenciesAdded(tried)) return null;
        }
        return Incompatibility.External(
            IncompatibilityKind.Dependency,
            package.Selected(first, last),
            dependency.NotAllowedBy(requirement));
    }

    private static bool SameRequirement(PackageVersionInfo info, Requirement requirement) =>
        info.Requirements.TryGetValue(requirement.Name, out var other) && other.Text == requirement.Text;

    private Resolution BuildResolution()
    {
        KeyValuePair<string, SemanticVersion>[] Edges(PackageUniverse universe, int version)
        {
            var dependencies = universe.DependencyIds(version)!;
            var edges = new KeyValuePair<string, SemanticVersion>[dependencies.Length];
            var count = 0;
            foreach (var dependency in dependencies)
            {
                if (_solution.TryGetDecided(dependency, out var decided)) edges[count++] = decided;
            }
            return count == edges.Length ? edges : edges[..count];
        }

        var decided = new (PackageUniverse Universe, int Version)[_solution.DecisionLevel - 1];
        var nameKeys = new ulong[decided.Length];
        var count = 0;
        KeyValuePair<string, SemanticVersion>[]? rootEdges = null;
        foreach (var (package, version) in _solution.Decisions)
        {
            var universe = _packages[package].Universe;
            if (package == _rootId)
            {
                rootEdges = Edges(universe, version);
                continue;
            }
            nameKeys[count] = universe.NameKey;
            decided[count++] = (universe, version);
        }
        SortByName(nameKeys, decided);
        var packages = new ResolvedPackage[decided.Length];
        for (var i = 0; i < packages.Length; i++)
        {
            var (universe, version) = decided[i];
            _solution.TryGetDecided(universe.Id, out var chosen);
            packages[i] = new ResolvedPackage(chosen.Key, chosen.Value, Edges(universe, version));
        }
        return new Resolution(packages, rootEdges!, Statistics);
    }

    /// <summary>
    /// Sorts by the name keys alone (a primitive sort, no comparer calls), then puts each run of
    /// equal keys in full name order: equal keys are names alike in their first nine characters.
    /// </summary>
    private static void SortByName(ulong[] nameKeys, (PackageUniverse Universe, int Version)[] decided)
    {
        Array.Sort(nameKeys, decided);
        for (var start = 0; start < nameKeys.Length;)
        {
            var end = start + 1;
            while (end < nameKeys.Length && nameKeys[end] == nameKeys[start]) end++;
            if (end - start > 1)
            {
                Array.Sort(decided, start, end - start, NameComparer.Instance);
            }
            start = end;
        }
    }

    private sealed class NameComparer : IComparer<(PackageUniverse Universe, int Version)>
    {
        public static readonly NameComparer Instance = new();

        public int Compare((PackageUniverse Universe, int Version) x, (PackageUniverse Universe, int Version) y) =>
            string.CompareOrdinal(x.Universe.Name, y.Universe.Name);
    }

    private struct SolverPackage
    {
        public PackageUniverse Universe;

        /// <summary>Every incompatibility with a term about this package, oldest first, in the first <see cref="IncompatibilityCount"/> slots.</summary>
        public Incompatibility[]? Incompatibilities;

        public int IncompatibilityCount;

        /// <summary>Waiting in the propagation queue.</summary>
        public bool Queued;
    }
}

/// <summary>Raised inside the solver when conflict resolution derives that the root cannot be selected.</summary>
internal sealed class SolveFailure : Exception
{
    public SolveFailure(Incompatibility incompatibility) : base("version solving failed")
    {
        Incompatibility = incompatibility;
    }

    public Incompatibility Incompatibility { get; }
}
