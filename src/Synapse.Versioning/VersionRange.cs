using System.Diagnostics.CodeAnalysis;
using Synapse.Versioning.Internal;

namespace Synapse.Versioning;

/// <summary>
/// A node-semver range (v7, default options): a union (<c>||</c>) of comparator sets, each an intersection of
/// primitive comparators. Caret, tilde, x-range, partial and hyphen forms are desugared exactly as node-semver does.
/// </summary>
public sealed class VersionRange
{
    private readonly Comparator[][] _sets;
    private readonly IReadOnlyList<IReadOnlyList<Comparator>> _readOnlySets;
    private string? _text;
    private string? _raw;

    // Like node-semver's memo of parsed ranges: manifests repeat the same few range texts and ranges are immutable.
    private const int CacheCapacity = 1000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, VersionRange> Cache = new(StringComparer.Ordinal);
    private static int _cacheCount;

    private VersionRange(IEnumerable<IEnumerable<Comparator>> sets)
        : this(sets.Select(set => set.ToArray()).ToArray())
    {
    }

    private VersionRange(Comparator[][] sets)
    {
        _sets = sets;
        var readOnlySets = new IReadOnlyList<Comparator>[sets.Length];
        for (var i = 0; i < sets.Length; i++)
        {
            readOnlySets[i] = Array.AsReadOnly(sets[i]);
        }

        _readOnlySets = Array.AsReadOnly(readOnlySets);
    }

    private static VersionRange FromParsed(List<List<Comparator>> sets, string raw)
    {
        var arrays = new Comparator[sets.Count][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = [.. sets[i]];
        }

        return new VersionRange(arrays) { _raw = raw };
    }

    /// <summary>The range that every release satisfies (<c>*</c>; prereleases never satisfy it).</summary>
    public static VersionRange Any { get; } = new([[Comparator.Any]]);

    /// <summary>The range no version satisfies, node-semver's <c>&lt;0.0.0-0</c>.</summary>
    public static VersionRange None { get; } = new([[Comparator.None]]);

    /// <summary>
    /// The comparator sets after desugaring (caret, tilde, x-ranges, hyphens) into primitives. The range <c>*</c>
    /// (or empty text) is one set holding <see cref="Comparator.Any"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Comparator>> ComparatorSets => _readOnlySets;

    /// <summary>
    /// The range as it was written (trimmed, runs of whitespace collapsed), like node-semver's <c>range.raw</c>:
    /// what a manifest author wrote and what messages should quote. Ranges not made by parsing (such as the
    /// result of <see cref="Intersect"/>) give their normalized form.
    /// </summary>
    public string Raw => _raw ?? ToString();

    /// <summary>True when no version at all satisfies the range (such as <c>&lt;0.0.0-0</c> or <c>&gt;2.0.0 &lt;1.0.0</c>).</summary>
    public bool IsEmpty => _readOnlySets.All(ComparatorSetAlgebra.IsEmpty);

    /// <summary>Parses node-semver range syntax; throws <see cref="FormatException"/> saying what was expected where.</summary>
    public static VersionRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var range, out var error) ? range : throw new FormatException(error);
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out VersionRange? range) => TryParse(text, out range, out _);

    /// <summary>Parses without throwing; on failure <paramref name="error"/> says what is wrong and what was expected.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out VersionRange? range, [NotNullWhen(false)] out string? error)
    {
        range = null;
        if (text is null)
        {
            error = "Invalid range: no text given (null); expected a range such as \"^1.2.3\" or \">=1.0.0 <2.0.0\".";
            return false;
        }

        if (Cache.TryGetValue(text, out range))
        {
            error = null;
            return true;
        }

        var sets = RangeParser.Parse(text, out error);
        if (sets is null)
        {
            error ??= $"Invalid range {JsText.Quote(text)}.";
            return false;
        }

        range = FromParsed(sets, string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

        // ConcurrentDictionary.Count takes every lock (hundreds once the table has grown), costing microseconds,
        // so the cache keeps its own approximate count.
        if (Cache.TryAdd(text, range) && Interlocked.Increment(ref _cacheCount) >= CacheCapacity)
        {
            Cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 0);
        }

        return true;
    }

    /// <summary>
    /// True when the version satisfies the range: some comparator set passes entirely and, when the version is a
    /// prerelease, a comparator of that set names a prerelease of the same major.minor.patch (node-semver's rule,
    /// so <c>1.3.0-beta</c> does not satisfy <c>^1.2.3</c> and no prerelease satisfies <c>*</c>).
    /// </summary>
    public bool IsSatisfiedBy(SemanticVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var set in _sets)
        {
            if (SetIsSatisfiedBy(set, version))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// node-semver's <c>testSet</c> for one comparator set (such as an entry of <see cref="ComparatorSets"/>): every
    /// comparator passes and, for a prerelease version, a comparator names a prerelease of the same major.minor.patch.
    /// </summary>
    public static bool SetIsSatisfiedBy(IReadOnlyList<Comparator> set, SemanticVersion version)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(version);
        for (var i = 0; i < set.Count; i++)
        {
            if (!set[i].IsSatisfiedBy(version))
            {
                return false;
            }
        }

        if (!version.IsPrerelease)
        {
            return true;
        }

        for (var i = 0; i < set.Count; i++)
        {
            if (set[i].Version is { IsPrerelease: true } named
                && named.Major == version.Major && named.Minor == version.Minor && named.Patch == version.Patch)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The highest version that satisfies the range, or null if none does.</summary>
    public SemanticVersion? MaxSatisfying(IEnumerable<SemanticVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        SemanticVersion? best = null;
        foreach (var version in versions)
        {
            if ((best is null || version > best) && IsSatisfiedBy(version))
            {
                best = version;
            }
        }

        return best;
    }

    /// <summary>The lowest version that satisfies the range, or null if none does.</summary>
    public SemanticVersion? MinSatisfying(IEnumerable<SemanticVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        SemanticVersion? best = null;
        foreach (var version in versions)
        {
            if ((best is null || version < best) && IsSatisfiedBy(version))
            {
                best = version;
            }
        }

        return best;
    }

    /// <summary>
    /// The range satisfied by exactly the versions satisfying both, prerelease rule included: each pair of
    /// comparator sets becomes one set of at most a lower and an upper bound, and empty pairs are dropped; when
    /// nothing is left the result is <see cref="None"/> (<c>&lt;0.0.0-0</c>).
    /// A prerelease passes the result only if both sides admit it, so a bound naming a prerelease that the other
    /// side forbids is moved: <c>^1.2.3-beta</c> ∩ <c>&gt;=1.0.0</c> is <c>&gt;=1.2.3 &lt;2.0.0-0</c>, because
    /// <c>&gt;=1.0.0</c> admits no prerelease, while <c>^1.2.3-beta</c> ∩ <c>&gt;=1.2.3-alpha</c> keeps
    /// <c>&gt;=1.2.3-beta &lt;2.0.0-0</c>, as both admit prereleases of 1.2.3.
    /// </summary>
    public VersionRange Intersect(VersionRange other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sets = new List<IReadOnlyList<Comparator>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var left in _readOnlySets)
        {
            foreach (var right in other._readOnlySets)
            {
                var set = ComparatorSetAlgebra.Intersect(left, right);
                if (set is null)
                {
                    continue;
                }

                if (set.Count == 1 && set[0].IsAny)
                {
                    return Any;
                }

                if (seen.Add(Format(set)))
                {
                    sets.Add(set);
                }
            }
        }

        return sets.Count == 0 ? None : new VersionRange(sets);
    }

    /// <summary>Normalized comparator form, as node-semver's <c>range.range</c>: sets joined by <c>||</c>, comparators by a space.</summary>
    public override string ToString() => _text ??= string.Join("||", _readOnlySets.Select(Format));

    private static string Format(IReadOnlyList<Comparator> set) => string.Join(' ', set.Select(c => c.ToString())).Trim();
}
