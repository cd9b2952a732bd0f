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
        public int? Decision { get; set; }
    }

    private readonly List<Assignment> _assignments = [];
    private readonly Dictionary<string, PackageState> _packages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _undecidedPositive = new(StringComparer.Ordinal);
    private readonly List<string> _decisionOrder = [];

    public int DecisionLevel => _decisionOrder.Count;

    /// <summary>Packages that must be selected but have no version decided yet.</summary>
    public IReadOnlyCollection<string> Undecided => _undecidedPositive;

    /// <summary>Raised when an undecided, required package's accumulated term may have changed.</summary>
    public Action<string>? UndecidedChanged { get; set; }

    public bool IsUndecided(string package) => _undecidedPositive.Contains(package);

    public Term? TermFor(string package) => _packages.TryGetValue(package, out var state) ? state.Accumulated : null;

    public IEnumerable<KeyValuePair<string, int>> Decisions =>
        _decisionOrder.Select(p => new KeyValuePair<string, int>(p, _packages[p].Decision!.Value));

    public void Decide(string package, int version, Term decision)
    {
        _decisionOrder.Add(package);
        var state = State(package);
        state.Decision = version;
        Assign(state, decision, null);
    }

    public void Derive(Term term, Incompatibility cause) => Assign(State(term.Package), term, cause);

    /// <summary>Undoes every assignment made after <paramref name="level"/>; returns the packages affected.</summary>
    public void Backtrack(int level)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        while (_assignments.Count > 0 && _assignments[^1].DecisionLevel > level)
        {
            var removed = _assignments[^1];
            _assignments.RemoveAt(_assignments.Count - 1);
            var state = _packages[removed.Term.Package];
            state.Assignments.RemoveAt(state.Assignments.Count - 1);
            if (removed.IsDecision)
            {
                state.Decision = null;
                _decisionOrder.RemoveAt(_decisionOrder.Count - 1);
            }
            touched.Add(removed.Term.Package);
        }
        foreach (var package in touched)
        {
            var state = _packages[package];
            state.Accumulated = state.Assignments.Count == 0 ? null : state.Assignments[^1].Accumulated;
            Track(package, state);
        }
    }

    public SetRelation Relation(Term term)
    {
        var accumulated = TermFor(term.Package);
        return accumulated is null ? SetRelation.Overlapping : accumulated.RelationTo(term);
    }

    public bool Satisfies(Term term) => Relation(term) == SetRelation.Subset;

    /// <summary>The earliest assignment after which the solution satisfies <paramref name="term"/>.</summary>
    public Assignment Satisfier(Term term)
    {
        // Accumulated terms only narrow, so "satisfies" is monotone along the list: binary search.
        var assignments = State(term.Package).Assignments;
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

    private PackageState State(string package)
    {
        if (!_packages.TryGetValue(package, out var state))
        {
            state = new PackageState();
            _packages[package] = state;
        }
        return state;
    }

    private void Assign(PackageState state, Term term, Incompatibility? cause)
    {
        state.Accumulated = state.Accumulated is null ? term : state.Accumulated.Intersect(term);
        var assignment = new Assignment(term, DecisionLevel, _assignments.Count, cause, state.Accumulated);
        _assignments.Add(assignment);
        state.Assignments.Add(assignment);
        Track(term.Package, state);
    }

    private void Track(string package, PackageState state)
    {
        if (state.Decision is null && state.Accumulated is { IsPositive: true })
        {
            _undecidedPositive.Add(package);
            UndecidedChanged?.Invoke(package);
        }
        else
        {
            _undecidedPositive.Remove(package);
        }
    }
}
