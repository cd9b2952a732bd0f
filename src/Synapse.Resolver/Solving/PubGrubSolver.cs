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
    private readonly PartialSolution _solution = new();
    private readonly Dictionary<string, List<Incompatibility>> _incompatibilities = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, (int Count, string Name)> _candidates = new(Comparer<(int Count, string Name)>.Create(
        static (a, b) => a.Count != b.Count ? a.Count.CompareTo(b.Count) : string.CompareOrdinal(a.Name, b.Name)));
    private readonly Queue<string> _changed = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
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
        var rootUniverse = new PackageUniverse(_root, [RootVersion()], null);
        _catalog.Add(rootUniverse);
        AddIncompatibility(Incompatibility.External(IncompatibilityKind.Root, new Term(_root, rootUniverse.Full, false)));

        string? next = _root;
        while (next is not null)
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

    private void AddIncompatibility(Incompatibility incompatibility)
    {
        foreach (var term in incompatibility.Terms)
        {
            if (!_incompatibilities.TryGetValue(term.Package, out var list))
            {
                list = [];
                _incompatibilities[term.Package] = list;
            }
            list.Add(incompatibility);
        }
    }

    private void Propagate(string package)
    {
        var changed = _changed;
        var queued = _queued;
        changed.Clear();
        queued.Clear();
        changed.Enqueue(package);
        queued.Add(package);
        while (changed.Count > 0)
        {
            var current = changed.Dequeue();
            queued.Remove(current);
            if (!_incompatibilities.TryGetValue(current, out var list)) continue;
            // Newest first: learned incompatibilities are the most general, so they find conflicts soonest.
            for (var i = list.Count - 1; i >= 0; i--)
            {
                var incompatibility = list[i];
                var result = PropagateIncompatibility(incompatibility, out var derived);
                if (result == PropagationResult.Conflict)
                {
                    var rootCause = ResolveConflict(incompatibility);
                    changed.Clear();
                    queued.Clear();
                    if (PropagateIncompatibility(rootCause, out var afterBackjump) != PropagationResult.Derived)
                    {
                        throw new InvalidOperationException($"Resolver bug: {rootCause} derived nothing after backjumping.");
                    }
                    changed.Enqueue(afterBackjump!);
                    queued.Add(afterBackjump!);
                    break;
                }
                if (result == PropagationResult.Derived && queued.Add(derived!))
                {
                    changed.Enqueue(derived!);
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

    private PropagationResult PropagateIncompatibility(Incompatibility incompatibility, out string? derivedPackage)
    {
        derivedPackage = null;
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
        derivedPackage = unsatisfied.Package;
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
                if (term.Package != mostRecentSatisfier.Term.Package) newTerms.Add(term);
            }
            if (difference is not null) newTerms.Add(difference.Inverse);
            incompatibility = Incompatibility.Derived(newTerms, _root, incompatibility, cause);
            learned = true;
        }
        throw new SolveFailure(incompatibility);
    }

    private async Task<string?> ChoosePackageVersionAsync()
    {
        if (_solution.Undecided.Count == 0) return null;

        // Fewest candidate versions first (ties by name); entries made stale by later changes are skipped.
        string? package = null;
        while (_candidates.TryDequeue(out var candidate, out var priority))
        {
            if (_solution.IsUndecided(candidate) && CandidateCount(candidate) == priority.Count)
            {
                package = candidate;
                break;
            }
        }
        if (package is null)
        {
            throw new InvalidOperationException("Resolver bug: undecided packages are missing from the decision queue.");
        }

        var universe = _catalog.Get(package);
        var allowed = _solution.TermFor(package)!.Set;
        var version = universe.LockedIndex >= 0 && allowed.Contains(universe.LockedIndex)
            ? universe.LockedIndex
            : allowed.HighestBelow(universe.Count);
        if (version < 0)
        {
            var kind = universe.Exists ? IncompatibilityKind.NoVersions : IncompatibilityKind.PackageNotFound;
            AddIncompatibility(Incompatibility.External(kind, new Term(package, allowed, true)));
            QueueCandidate(package);
            return package;
        }

        var conflict = false;
        if (!universe.DependenciesAdded[version])
        {
            // First time this version is tried: add its dependencies. Later attempts (after a
            // backjump) find them already in place and already propagated.
            var requirements = universe.SortedRequirements(version);
            var metadata = new Task<PackageUniverse>[requirements.Length];
            for (var i = 0; i < requirements.Length; i++) metadata[i] = _catalog.GetAsync(requirements[i].Name);
            for (var i = 0; i < requirements.Length; i++)
            {
                var dependency = await metadata[i].ConfigureAwait(false);
                var incompatibility = DependencyIncompatibility(universe, version, requirements[i], dependency);
                if (incompatibility is null) continue;
                AddIncompatibility(incompatibility);
                conflict = conflict || AllSatisfiedExcept(incompatibility, package);
            }
            universe.DependenciesAdded[version] = true;
        }

        if (!conflict)
        {
            _solution.Decide(package, version, universe.Decision(version));
            _decisions++;
        }
        else
        {
            QueueCandidate(package);
        }
        return package;
    }

    private bool AllSatisfiedExcept(Incompatibility incompatibility, string package)
    {
        foreach (var term in incompatibility.Terms)
        {
            if (term.Package != package && !_solution.Satisfies(term)) return false;
        }
        return true;
    }

    private void QueueCandidate(string package) => _candidates.Enqueue(package, (CandidateCount(package), package));

    private int CandidateCount(string package)
    {
        var universe = _catalog.Get(package);
        var allowed = _solution.TermFor(package)!.Set;
        if (universe.LockedIndex >= 0 && allowed.Contains(universe.LockedIndex)) return 1;
        return allowed.CountBelow(universe.Count);
    }

    /// <summary>
    /// "versions first..last of package depend on requirement", spanning every adjacent version with
    /// the same requirement so one incompatibility covers them all. Null when already added.
    /// </summary>
    private static Incompatibility? DependencyIncompatibility(PackageUniverse package, int version, Requirement requirement, PackageUniverse dependency)
    {
        if (requirement.Name == package.Name) return null;
        var first = version;
        while (first > 0 && SameRequirement(package.Versions[first - 1], requirement)) first--;
        var last = version;
        while (last < package.Count - 1 && SameRequirement(package.Versions[last + 1], requirement)) last++;
        // The span is the maximal run sharing this requirement, so any version of it already tried added it.
        for (var tried = first; tried <= last; tried++)
        {
            if (package.DependenciesAdded[tried]) return null;
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
        var chosen = new Dictionary<string, (PackageUniverse Universe, int Index, PackageVersionInfo Info)>(StringComparer.Ordinal);
        foreach (var (package, index) in _solution.Decisions)
        {
            var universe = _catalog.Get(package);
            chosen[package] = (universe, index, universe.Versions[index]);
        }

        List<KeyValuePair<string, SemanticVersion>> Edges(PackageUniverse universe, int version)
        {
            var requirements = universe.SortedRequirements(version);
            var edges = new List<KeyValuePair<string, SemanticVersion>>(requirements.Length);
            foreach (var requirement in requirements)
            {
                if (chosen.TryGetValue(requirement.Name, out var dependency)) edges.Add(KeyValuePair.Create(requirement.Name, dependency.Info.Version));
            }
            return edges;
        }

        var packages = new List<ResolvedPackage>(chosen.Count);
        foreach (var (name, (universe, index, info)) in chosen)
        {
            if (name != _root) packages.Add(new ResolvedPackage(name, info.Version, Edges(universe, index)));
        }
        packages.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var root = chosen[_root];
        return new Resolution(packages, Edges(root.Universe, root.Index), Statistics);
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
