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
    private sealed class PackageState
    {
        public List<Assignment> Assignments { get; } = [];
        public Term? Accumulated { get; set; }
        public int Decision { get; set; } = -1;
        public bool IsUndecided { get; set; }
    }

    private readonly List<Assignment> _assignments = [];
    private readonly PackageTable<PackageState?> _packages = new();
    private readonly List<int> _decisionOrder = [];
    private readonly HashSet<int> _touched = [];

    public int DecisionLevel => _decisionOrder.Count;

    /// <summary>How many packages must be selected but have no version decided yet.</summary>
    public int UndecidedCount { get; private set; }

    /// <summary>Raised with a package id when an undecided, required package's accumulated term may have changed.</summary>
    public Action<int>? UndecidedChanged { get; set; }

    public bool IsUndecided(int package) => _packages[package] is { IsUndecided: true };

    public Term? TermFor(int package) => _packages[package]?.Accumulated;

    /// <summary>The version index decided for the package, or -1.</summary>
    public int DecisionFor(int package) => _packages[package]?.Decision ?? -1;

    /// <summary>Package ids and the version index decided for each, in decision order.</summary>
    public IEnumerable<(int Package, int Version)> Decisions =>
        _decisionOrder.Select(p => (p, _packages[p]!.Decision));

    public void Decide(int package, int version, Term decision)
    {
        _decisionOrder.Add(package);
        var state = State(package);
        state.Decision = version;
        Assign(state, decision, null);
    }

    public void Derive(Term term, Incompatibility cause) => Assign(State(term.PackageId), term, cause);

    /// <summary>Undoes every assignment made after <paramref name="level"/>.</summary>
    public void Backtrack(int level)
    {
        var touched = _touched;
        touched.Clear();
        while (_assignments.Count > 0 && _assignments[^1].DecisionLevel > level)
        {
            var removed = _assignments[^1];
            _assignments.RemoveAt(_assignments.Count - 1);
            var state = _packages[removed.Term.PackageId]!;
            state.Assignments.RemoveAt(state.Assignments.Count - 1);
            if (removed.IsDecision)
            {
                state.Decision = -1;
                _decisionOrder.RemoveAt(_decisionOrder.Count - 1);
            }
            touched.Add(removed.Term.PackageId);
        }
        foreach (var package in touched)
        {
            var state = _packages[package]!;
            state.Accumulated = state.Assignments.Count == 0 ? null : state.Assignments[^1].Accumulated;
            Track(package, state);
        }
    }

    public SetRelation Relation(Term term)
    {
        var accumulated = TermFor(term.PackageId);
        return accumulated is null ? SetRelation.Overlapping : accumulated.RelationTo(term);
    }

    public bool Satisfies(Term term) => Relation(term) == SetRelation.Subset;

    /// <summary>The earliest assignment after which the solution satisfies <paramref name="term"/>.</summary>
    public Assignment Satisfier(Term term)
    {
        // Accumulated terms only narrow, so "satisfies" is monotone along the list: binary search.
        var assignments = State(term.PackageId).Assignments;
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

    private PackageState State(int package) => _packages[package] ??= new PackageState();

    private void Assign(PackageState state, Term term, Incompatibility? cause)
    {
        state.Accumulated = state.Accumulated is null ? term : state.Accumulated.Intersect(term);
        var assignment = new Assignment(term, DecisionLevel, _assignments.Count, cause, state.Accumulated);
        _assignments.Add(assignment);
        state.Assignments.Add(assignment);
        Track(term.PackageId, state);
    }

    private void Track(int package, PackageState state)
    {
        var undecided = state.Decision < 0 && state.Accumulated is { IsPositive: true };
        if (undecided != state.IsUndecided)
        {
            state.IsUndecided = undecided;
            UndecidedCount += undecided ? 1 : -1;
        }
        if (undecided) UndecidedChanged?.Invoke(package);
    }
}
