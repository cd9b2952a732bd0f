using Synapse.Versioning;

namespace Synapse.Resolver.Solving;

/// <summary>One step of the partial solution: a decision (no cause) or a derivation.</summary>
internal sealed class Assignment
{
    public Assignment(Term term, int decisionLevel, int index, Incompatibility? cause, Term accumulated)
    {
        Term = term;
        Accumulated = accumulated;
        DecisionLevel = decisionLevel;
        Index = index;
        Cause = cause;
    }

    public Term Term { get; }

    /// <summary>The package's term after this and all its earlier assignments.</summary>
    public Term Accumulated { get; }

    public int DecisionLevel { get; }

    public int Index { get; }

    public Incompatibility? Cause { get; }

    public bool IsDecision => Cause is null;
}

/// <summary>The ordered assignments made so far, with each package's accumulated term.</summary>
internal sealed class PartialSolution
{
    // Per-package state side by side in one dense table indexed by package id: propagation reads a
    // package's accumulated term in one step, without hashing its name or visiting a per-package object.
    private readonly List<Assignment> _assignments = [];
    private readonly PackageTable<PackageAssignments> _packages = new();
    private readonly List<int> _decisionOrder = [];
    private readonly HashSet<int> _touched = [];

    public int DecisionLevel => _decisionOrder.Count;

    /// <summary>How many packages must be selected but have no version decided yet.</summary>
    public int UndecidedCount { get; private set; }

    /// <summary>Raised with a package id when an undecided, required package's accumulated term may have changed.</summary>
    public Action<int>? UndecidedChanged { get; set; }

    public bool IsUndecided(int package) => _packages[package].Undecided;

    public Term? TermFor(int package) => _packages[package].Accumulated;

    /// <summary>Package ids and the version index decided for each, in decision order.</summary>
    public IEnumerable<(int Package, int Version)> Decisions =>
        _decisionOrder.Select(p => (p, _packages[p].Decision));

    /// <summary>The name and version decided for <paramref name="package"/>; false while it has none.</summary>
    public bool TryGetDecided(int package, out KeyValuePair<string, SemanticVersion> decided)
    {
        ref var state = ref _packages[package];
        decided = state.Decided;
        return state.IsDecided;
    }

    /// <summary>
    /// Decides version index <paramref name="version"/> (<paramref name="chosen"/>) of a package. The
    /// name and version are kept here, side by side, because they are at hand now; the result's
    /// dependency edges then read them from this table instead of from each requirement and
    /// version object, which cost several cache misses per package in large graphs.
    /// </summary>
    public void Decide(int package, int version, SemanticVersion chosen, Term decision)
    {
        _decisionOrder.Add(package);
        ref var state = ref _packages[package];
        state.Decision = version;
        state.Decided = KeyValuePair.Create(decision.Package, chosen);
        state.IsDecided = true;
        Assign(decision, null);
    }

    public void Derive(Term term, Incompatibility cause) => Assign(term, cause);

    /// <summary>Undoes every assignment made after <paramref name="level"/>.</summary>
    public void Backtrack(int level)
    {
        var touched = _touched;
        touched.Clear();
        while (_assignments.Count > 0 && _assignments[^1].DecisionLevel > level)
        {
            var removed = _assignments[^1];
            var package = removed.Term.PackageId;
            _assignments.RemoveAt(_assignments.Count - 1);
            var assignments = _packages[package].Assignments!;
            assignments.RemoveAt(assignments.Count - 1);
            if (removed.IsDecision)
            {
                _packages[package].IsDecided = false;
                _decisionOrder.RemoveAt(_decisionOrder.Count - 1);
            }
            touched.Add(package);
        }
        foreach (var package in touched)
        {
            var assignments = _packages[package].Assignments!;
            _packages[package].Accumulated = assignments.Count == 0 ? null : assignments[^1].Accumulated;
            Track(package);
        }
    }

    public SetRelation Relation(Term term)
    {
        var accumulated = _packages[term.PackageId].Accumulated;
        return accumulated is null ? SetRelation.Overlapping : accumulated.RelationTo(term);
    }

    public bool Satisfies(Term term) => Relation(term) == SetRelation.Subset;

    /// <summary>The earliest assignment after which the solution satisfies <paramref name="term"/>.</summary>
    public Assignment Satisfier(Term term)
    {
        // Accumulated terms only narrow, so "satisfies" is monotone along the list: binary search.
        var assignments = _packages[term.PackageId].Assignments ?? [];
        int low = 0, high = assignments.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (assignments[mid].Accumulated.Satisfies(term)) high = mid;
            else low = mid + 1;
        }
        if (low == assignments.Count)
        {
            throw new InvalidOperationException($"Resolver bug: {term} is not satisfied by the partial solution.");
        }
        return assignments[low];
    }

    private void Assign(Term term, Incompatibility? cause)
    {
        ref var state = ref _packages[term.PackageId];
        state.Accumulated = state.Accumulated is null ? term : state.Accumulated.Intersect(term);
        var assignment = new Assignment(term, DecisionLevel, _assignments.Count, cause, state.Accumulated);
        _assignments.Add(assignment);
        (state.Assignments ??= []).Add(assignment);
        Track(term.PackageId);
    }

    private void Track(int package)
    {
        ref var state = ref _packages[package];
        var undecided = !state.IsDecided && state.Accumulated is { IsPositive: true };
        if (undecided != state.Undecided)
        {
            state.Undecided = undecided;
            UndecidedCount += undecided ? 1 : -1;
        }
        if (undecided) UndecidedChanged?.Invoke(package);
    }

    private struct PackageAssignments
    {
        /// <summary>This package's assignments, in order.</summary>
        public List<Assignment>? Assignments;

        /// <summary>The package's term after all its assignments.</summary>
        public Term? Accumulated;

        /// <summary>The version index decided, when <see cref="IsDecided"/>.</summary>
        public int Decision;

        /// <summary>The package's name and the version decided, when <see cref="IsDecided"/>.</summary>
        public KeyValuePair<string, SemanticVersion> Decided;

        public bool IsDecided;

        /// <summary>Required (a positive term) but not decided yet.</summary>
        public bool Undecided;
    }
}
