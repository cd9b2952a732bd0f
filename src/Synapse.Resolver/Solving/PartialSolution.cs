namespace Synapse.Resolver.Solving;

/// <summary>One step of the partial solution: a decision (no cause) or a derivation.</summary>
internal sealed class Assignment
{
    public Assignment(Term term, int decisionLevel, int index, Incompatibility? cause)
    {
        Term = term;
        DecisionLevel = decisionLevel;
        Index = index;
        Cause = cause;
    }

    public Term Term { get; }

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

    public Term? TermFor(string package) => _packages.TryGetValue(package, out var state) ? state.Accumulated : null;

    public IEnumerable<KeyValuePair<string, int>> Decisions =>
        _decisionOrder.Select(p => new KeyValuePair<string, int>(p, _packages[p].Decision!.Value));

    public void Decide(string package, int version, int universe)
    {
        _decisionOrder.Add(package);
        var state = State(package);
        state.Decision = version;
        Assign(state, new Assignment(new Term(package, VersionSet.Single(universe, version), true), DecisionLevel, _assignments.Count, null));
    }

    public void Derive(Term term, Incompatibility cause) =>
        Assign(State(term.Package), new Assignment(term, DecisionLevel, _assignments.Count, cause));

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
            state.Accumulated = null;
            foreach (var assignment in state.Assignments)
            {
                state.Accumulated = state.Accumulated is null ? assignment.Term : state.Accumulated.Intersect(assignment.Term);
            }
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
        Term? accumulated = null;
        foreach (var assignment in State(term.Package).Assignments)
        {
            accumulated = accumulated is null ? assignment.Term : accumulated.Intersect(assignment.Term);
            if (accumulated.Satisfies(term)) return assignment;
        }
        throw new InvalidOperationException($"Resolver bug: {term} is not satisfied by the partial solution.");
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

    private void Assign(PackageState state, Assignment assignment)
    {
        _assignments.Add(assignment);
        state.Assignments.Add(assignment);
        state.Accumulated = state.Accumulated is null ? assignment.Term : state.Accumulated.Intersect(assignment.Term);
        Track(assignment.Term.Package, state);
    }

    private void Track(string package, PackageState state)
    {
        if (state.Decision is null && state.Accumulated is { IsPositive: true }) _undecidedPositive.Add(package);
        else _undecidedPositive.Remove(package);
    }
}
