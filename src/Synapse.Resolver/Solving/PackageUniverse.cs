using Synapse.Versioning;

namespace Synapse.Resolver.Solving;

/// <summary>
/// The selectable versions of one package, ascending: yanked versions are left out unless the
/// lock file names them. Version sets of this package index into <see cref="Versions"/>.
/// </summary>
internal sealed class PackageUniverse
{
    // A package is required through a handful of spellings at most, as a rule. The first one's term
    // is kept in two fields and the next few in a short array searched in order, which costs far less
    // than a dictionary per package; past that, a dictionary takes over. Only the solver's thread
    // asks, so no locking.
    private const int SpellingsSearchedInOrder = 8;
    private Requirement? _firstSpelling;
    private Term? _firstExcluded;
    private (Requirement Spelling, Term Excluded)[] _otherSpellings = [];
    private int _otherSpellingCount;
    private Dictionary<string, Term>? _spellingIndex;
    private Term? _everyVersion;
    // What the solver has learned about the versions it tried. Usually it tries one version of a
    // package, which is kept in fields; an array is made only when a second version is tried.
    private int _firstTriedIndex = -1;
    private TriedVersion _firstTried;
    private TriedVersion[]? _otherTried;
    private readonly int[] _prereleases;
    // Each version's major.minor.patch packed into one number (null when one is too large to pack),
    // made while the versions are being read anyway: matching a range then binary-searches one
    // array instead of reading a version object per probe, which is cold by the time a dependent asks.
    private readonly ulong[]? _orderKeys;
    // Compared once, as the metadata arrives and while it is being read anyway, not at each decision.
    // Null when every version has the same requirements as the one before it (then there is one run).
    private readonly bool[]? _sameRequirementsAsPrevious;
    // Dependency ids: looked up once per run of versions with the same requirements, usually as the
    // metadata arrives (see PackageCatalog), so a decision reads ids instead of hashing names.
    private int[]? _everyVersionDependencyIds;
    private int[]?[]? _dependencyIdsByVersion;

    public PackageUniverse(string name, IReadOnlyList<PackageVersionInfo> published, SemanticVersion? locked, int id = 0)
    {
        Name = name;
        NameKey = NameOrder.Key(name);
        Id = id;
        Exists = published.Count > 0;
        // The source hands its list over (see IPackageSource), so an array is kept as it is.
        var sorted = published as PackageVersionInfo[] ?? published.ToArray();
        if (!IsAscending(sorted))
        {
            // Stable, so the first of two equal versions (differing in build metadata only) wins.
            var order = new int[sorted.Length];
            for (var i = 0; i < order.Length; i++) order[i] = i;
            var original = sorted;
            Array.Sort(order, (a, b) => original[a].Version.CompareTo(original[b].Version) is var c && c != 0 ? c : a.CompareTo(b));
            sorted = Array.ConvertAll(order, i => original[i]);
        }
        if (AllSelectable(sorted))
        {
            Versions = sorted;
        }
        else
        {
            var selectable = new List<PackageVersionInfo>(sorted.Length);
            foreach (var info in sorted)
            {
                if (selectable.Count > 0 && selectable[^1].Version == info.Version) continue;
                if (info.IsYanked && (locked is null || info.Version != locked)) continue;
                selectable.Add(info);
            }
            Versions = [.. selectable];
        }
        _prereleases = Prereleases(Versions);
        _orderKeys = OrderKeys(Versions);
        Count = Versions.Length;
        LockedIndex = locked is null ? -1 : IndexOf(locked);
        _sameRequirementsAsPrevious = SameRequirementsAsPrevious(Versions);
    }

    public string Name { get; }

    /// <summary>Orders this package by name without reading the string (see <see cref="NameOrder"/>).</summary>
    public ulong NameKey { get; }

    /// <summary>A small number, unique within one resolution (see <see cref="PackageCatalog"/>), that indexes the solver's per-package state.</summary>
    public int Id { get; }

    private static int[] Prereleases(PackageVersionInfo[] versions)
    {
        var count = 0;
        foreach (var info in versions) count += info.Version.IsPrerelease ? 1 : 0;
        if (count == 0) return [];
        var prereleases = new int[count];
        count = 0;
        for (var i = 0; i < versions.Length; i++)
        {
            if (versions[i].Version.IsPrerelease) prereleases[count++] = i;
        }
        return prereleases;
    }

    /// <summary>Strictly ascending (so no duplicates) and nothing yanked: every version stays.</summary>
    private static bool AllSelectable(PackageVersionInfo[] sorted)
    {
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].IsYanked) return false;
            if (i > 0 && sorted[i - 1].Version.CompareTo(sorted[i].Version) >= 0) return false;
        }
        return true;
    }

    private static bool IsAscending(PackageVersionInfo[] versions)
    {
        for (var i = 1; i < versions.Length; i++)
        {
            if (versions[i - 1].Version.CompareTo(versions[i].Version) >= 0) return false;
        }
        return true;
    }

    /// <summary>False when the source knows no package by this name.</summary>
    public bool Exists { get; }

    public PackageVersionInfo[] Versions { get; }

    /// <summary>How many versions are selectable; a field, so counting candidates does not read the array.</summary>
    public int Count { get; }

    /// <summary>Points in this package's universe: the versions plus one "no known version" point.</summary>
    public int Size => Count + 1;

    /// <summary>Index of the still-lockable locked version, or -1.</summary>
    public int LockedIndex { get; }

    /// <summary>The version tried first unless constraints rule it out: the locked one, else the highest; -1 when there is none.</summary>
    public int PreferredIndex => LockedIndex >= 0 ? LockedIndex : Count - 1;

    public VersionSet Full => VersionSet.Full(Size);

    public int IndexOf(SemanticVersion version)
    {
        int low = 0, high = Versions.Length - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var comparison = Versions[mid].Version.CompareTo(version);
            if (comparison == 0) return mid;
            if (comparison < 0) low = mid + 1;
            else high = mid - 1;
        }
        return -1;
    }

    /// <summary>
    /// The versions a requirement accepts (node-semver rules, prereleases included), labeled with
    /// its spelling. A range matching no known version maps to the "no known version" point.
    /// </summary>
    public VersionSet SetFor(Requirement requirement) => NotAllowedBy(requirement).Set;

    /// <summary>
    /// "not this package with a version <paramref name="requirement"/> accepts": the dependency side
    /// of every incompatibility that names this range, made once per spelling.
    /// </summary>
    public Term NotAllowedBy(Requirement requirement)
    {
        // By reference first: dependents usually share one requirement object per spelling (see
        // RequirementCache), and recognizing it by reference reads neither it nor the stored ones.
        if (ReferenceEquals(_firstSpelling, requirement)) return _firstExcluded!;
        for (var i = 0; i < _otherSpellingCount; i++)
        {
            if (ReferenceEquals(_otherSpellings[i].Spelling, requirement)) return _otherSpellings[i].Excluded;
        }
        var spelling = requirement.Text;
        if (_firstSpelling?.Text == spelling) return _firstExcluded!;
        if (_spellingIndex is not null)
        {
            if (_spellingIndex.TryGetValue(spelling, out var indexed)) return indexed;
        }
        else
        {
            for (var i = 0; i < _otherSpellingCount; i++)
            {
                if (_otherSpellings[i].Spelling.Text == spelling) return _otherSpellings[i].Excluded;
            }
        }
        var term = new Term(this, Compute(requirement.Range, spelling), false);
        Remember(requirement, term);
        return term;
    }

    private void Remember(Requirement spelled, Term excluded)
    {
        if (_firstSpelling is null)
        {
            _firstSpelling = spelled;
            _firstExcluded = excluded;
            return;
        }
        if (_spellingIndex is null && _otherSpellingCount == SpellingsSearchedInOrder)
        {
            _spellingIndex = new(StringComparer.Ordinal);
            foreach (var (known, term) in _otherSpellings) _spellingIndex[known.Text] = term;
        }
        if (_spellingIndex is not null)
        {
            _spellingIndex[spelled.Text] = excluded;
            return;
        }
        if (_otherSpellingCount == _otherSpellings.Length) Array.Resize(ref _otherSpellings, _otherSpellingCount == 0 ? 2 : _otherSpellingCount * 2);
        _otherSpellings[_otherSpellingCount++] = (spelled, excluded);
    }

    /// <summary>"this package, versions first..last" (shared when it spans every version).</summary>
    public Term Selected(int first, int last)
    {
        if (first == 0 && last == Count - 1) return _everyVersion ??= new Term(this, Full, true);
        return new Term(this, Span(first, last), true);
    }

    /// <summary>A version's requirements ordered by name (see <see cref="PackageVersionInfo.SortedRequirements"/>).</summary>
    public Requirement[] SortedRequirements(int index) => Versions[index].SortedRequirements;

    /// <summary>
    /// The adjacent versions around <paramref name="index"/> whose requirements are exactly its own
    /// (same names, same spellings), from the comparisons made when the metadata arrived.
    /// </summary>
    public (int First, int Last) SameRequirementsRun(int index)
    {
        if (_sameRequirementsAsPrevious is not { } same) return (0, Count - 1);
        var first = index;
        while (first > 0 && same[first]) first--;
        var last = index;
        while (last < Count - 1 && same[last + 1]) last++;
        return (first, last);
    }

    private static bool[]? SameRequirementsAsPrevious(PackageVersionInfo[] versions)
    {
        bool[]? same = null;
        for (var i = 1; i < versions.Length; i++)
        {
            var shared = SameRequirements(versions[i - 1].SortedRequirements, versions[i].SortedRequirements);
            if (!shared && same is null)
            {
                same = new bool[versions.Length];
                same.AsSpan(1, i - 1).Fill(true);
            }
            if (same is not null) same[i] = shared;
        }
        return same;
    }

    private static bool SameRequirements(Requirement[] some, Requirement[] others)
    {
        if (ReferenceEquals(some, others)) return true;
        if (some.Length != others.Length) return false;
        for (var i = 0; i < some.Length; i++)
        {
            // Sources that share requirement objects (see RequirementCache) are told apart without reading them.
            if (ReferenceEquals(some[i], others[i])) continue;
            if (some[i].Name != others[i].Name || some[i].Text != others[i].Text) return false;
        }
        return true;
    }

    /// <summary>Whether the solver has added the dependency incompatibilities of version <paramref name="index"/>.</summary>
    public bool DependenciesAdded(int index) => Peek(index).DependenciesAdded;

    /// <summary>Records that version <paramref name="index"/>'s dependency incompatibilities were added.</summary>
    public void MarkDependenciesAdded(int index) => Tried(index).DependenciesAdded = true;

    /// <summary>
    /// The ids of the packages version <paramref name="index"/>'s sorted requirements name, or null
    /// while nobody has looked them up. Versions with the same requirements share one array.
    /// </summary>
    public int[]? DependencyIds(int index) =>
        _sameRequirementsAsPrevious is null ? _everyVersionDependencyIds : _dependencyIdsByVersion?[index];

    /// <summary>Keeps <paramref name="ids"/> as the dependency ids of every version with the same requirements as <paramref name="index"/>.</summary>
    public void SetDependencyIds(int index, int[] ids)
    {
        if (_sameRequirementsAsPrevious is null)
        {
            _everyVersionDependencyIds = ids;
            return;
        }
        var byVersion = _dependencyIdsByVersion ??= new int[]?[Count];
        var (first, last) = SameRequirementsRun(index);
        byVersion.AsSpan(first, last - first + 1).Fill(ids);
    }

    /// <summary>The decision "this package at version <paramref name="index"/>", made once per version.</summary>
    public Term Decision(int index)
    {
        return Tried(index).Decision ??= new Term(this, VersionSet.Single(Size, index), true);
    }

    private ref TriedVersion Tried(int index)
    {
        if (_firstTriedIndex < 0) _firstTriedIndex = index;
        if (_firstTriedIndex == index) return ref _firstTried;
        return ref (_otherTried ??= new TriedVersion[Versions.Length])[index];
    }

    private TriedVersion Peek(int index) =>
        index == _firstTriedIndex ? _firstTried : _otherTried is null ? default : _otherTried[index];

    private struct TriedVersion
    {
        public bool DependenciesAdded;

        /// <summary>The decision "this package at this version", made once.</summary>
        public Term? Decision;
    }

    /// <summary>
    /// Each comparator set is an interval of the version order, found by binary search; inside it
    /// every release matches, and each prerelease is checked against node-semver's prerelease rule.
    /// </summary>
    private VersionSet Compute(VersionRange range, string text)
    {
        var sets = range.ComparatorSets;
        if (sets.Count == 1 && _prereleases.Length == 0)
        {
            var (low, high) = Bounds(sets[0]);
            return low < high ? VersionSet.Range(Size, low, high, text) : VersionSet.Range(Size, Count, Count + 1, text);
        }
        var intervals = new List<(int Start, int End)>();
        for (var i = 0; i < sets.Count; i++)
        {
            var comparators = sets[i];
            var (low, high) = Bounds(comparators);
            var start = low;
            var next = Array.BinarySearch(_prereleases, low);
            for (var p = next < 0 ? ~next : next; p < _prereleases.Length && _prereleases[p] < high; p++)
            {
                var index = _prereleases[p];
                if (range.IsSatisfiedBy(Versions[index].Version)) continue;
                intervals.Add((start, index));
                start = index + 1;
            }
            intervals.Add((start, high));
        }
        var set = VersionSet.FromIntervals(Size, intervals, text);
        return set.IsEmpty ? VersionSet.Single(Size, Count).WithLabel(text) : set;
    }

    /// <summary>The index interval [low, high) of versions that a comparator set's comparators admit by order.</summary>
    private (int Low, int High) Bounds(IReadOnlyList<Comparator> comparators)
    {
        int low = 0, high = Count;
        for (var i = 0; i < comparators.Count; i++)
        {
            var comparator = comparators[i];
            if (comparator.Version is not { } version) continue;
            switch (comparator.Operator)
            {
                case ComparatorOperator.Greater: low = Math.Max(low, FirstAbove(version)); break;
                case ComparatorOperator.GreaterOrEqual: low = Math.Max(low, FirstAtLeast(version)); break;
                case ComparatorOperator.Less: high = Math.Min(high, FirstAtLeast(version)); break;
                case ComparatorOperator.LessOrEqual: high = Math.Min(high, FirstAbove(version)); break;
                default:
                    low = Math.Max(low, FirstAtLeast(version));
                    high = Math.Min(high, FirstAbove(version));
                    break;
            }
        }
        return (low, high);
    }

    private int FirstAtLeast(SemanticVersion version)
    {
        var key = OrderKey(version);
        int low = 0, high = Versions.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (CompareAt(mid, version, key) < 0) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    private int FirstAbove(SemanticVersion version)
    {
        var key = OrderKey(version);
        int low = 0, high = Versions.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (CompareAt(mid, version, key) <= 0) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /// <summary>Version <paramref name="index"/> against <paramref name="version"/>; the version objects are read only when the packed keys cannot tell.</summary>
    private int CompareAt(int index, SemanticVersion version, ulong? key)
    {
        if (_orderKeys is { } keys && key is { } packed && keys[index] != packed) return keys[index] < packed ? -1 : 1;
        return Versions[index].Version.CompareTo(version);
    }

    private const int OrderKeyBits = 21;

    /// <summary>
    /// major.minor.patch as one number that orders like them, or null when a part needs more than
    /// <see cref="OrderKeyBits"/> bits. Equal keys leave prerelease tags to a full comparison.
    /// </summary>
    private static ulong? OrderKey(SemanticVersion version)
    {
        const long limit = 1L << OrderKeyBits;
        if ((ulong)version.Major >= limit || (ulong)version.Minor >= limit || (ulong)version.Patch >= limit) return null;
        return ((ulong)version.Major << (2 * OrderKeyBits)) | ((ulong)version.Minor << OrderKeyBits) | (ulong)version.Patch;
    }

    private static ulong[]? OrderKeys(PackageVersionInfo[] versions)
    {
        var keys = new ulong[versions.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            if (OrderKey(versions[i].Version) is not { } key) return null;
            keys[i] = key;
        }
        return keys;
    }

    /// <summary>
    /// The adjacent versions <paramref name="first"/>..<paramref name="last"/>, labeled the way pub
    /// prints them: open-ended at the extremes, unlabeled ("every version") when it covers all.
    /// </summary>
    public VersionSet Span(int first, int last)
    {
        if (first == 0 && last == Count - 1) return Full;
        string label;
        if (first == 0) label = "<" + Versions[last + 1].Version;
        else if (last == Count - 1) label = ">=" + Versions[first].Version;
        else if (first == last) label = Versions[first].Version.ToString();
        else label = $">={Versions[first].Version} <{Versions[last + 1].Version}";
        return VersionSet.Range(Size, first, last + 1, label);
    }

    /// <summary>How a set reads in an explanation; null when it allows every version.</summary>
    public string? Describe(VersionSet set)
    {
        if (set.Label is not null) return set.Label;
        var real = set.CountBelow(Count);
        if (Count > 0 && real == Count) return null;
        if (real == 0) return "(no version)";
        var parts = new List<string>();
        for (var i = 0; i < set.IntervalCount; i++)
        {
            var start = set.Start(i);
            var end = Math.Min(set.End(i), Count);
            if (start >= end) continue;
            if (end - start == 1) parts.Add(Versions[start].Version.ToString());
            else if (start == 0) parts.Add("<" + Versions[end].Version);
            else if (end == Count) parts.Add(">=" + Versions[start].Version);
            else parts.Add($">={Versions[start].Version} <{Versions[end].Version}");
        }
        return string.Join(" || ", parts);
    }
}
