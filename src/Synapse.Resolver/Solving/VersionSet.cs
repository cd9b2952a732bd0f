using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Synapse.Resolver.Solving;

/// <summary>
/// A set of points in one package's universe, kept as sorted, disjoint, non-adjacent half-open
/// index intervals. Points 0..n-1 are the package's known (selectable) versions in ascending
/// order; point n stands for "no known version" so that a range matching nothing is still a
/// non-empty constraint and failures can say so.
/// </summary>
internal sealed class VersionSet : IEquatable<VersionSet>
{
    /// <summary>Results up to this many bounds are built on the stack; only the final set is allocated.</summary>
    private const int StackLimit = 64;

    // Most sets are one interval (a range, a decision, "every version"): its two bounds live in the
    // object itself, so reading a set is one memory access instead of two. Longer sets use an array.
    private readonly TwoBounds _oneInterval;
    private readonly int _inlineCount;
    private readonly int[]? _manyBounds;

    private VersionSet(int universe, ReadOnlySpan<int> bounds, string? label)
    {
        Universe = universe;
        if (bounds.Length <= 2)
        {
            bounds.CopyTo(_oneInterval);
            _inlineCount = bounds.Length;
        }
        else
        {
            _manyBounds = bounds.ToArray();
        }
        Label = label;
    }

    [InlineArray(2)]
    private struct TwoBounds
    {
        private int _bound;
    }

    /// <summary>Start and end of each interval, in order.</summary>
    private ReadOnlySpan<int> Bounds => _manyBounds ?? ((ReadOnlySpan<int>)_oneInterval)[.._inlineCount];

    /// <summary>Total number of points, including the trailing "no known version" point.</summary>
    public int Universe { get; }

    /// <summary>How this set was spelled by a human (for example <c>^1.0.0</c>), if it came straight from a range.</summary>
    public string? Label { get; }

    public int IntervalCount => Bounds.Length / 2;

    public bool IsEmpty => _manyBounds is null && _inlineCount == 0;

    public bool IsFull => _manyBounds is null && _inlineCount == 2 && _oneInterval[0] == 0 && _oneInterval[1] == Universe;

    public static VersionSet Empty(int universe) => new(universe, [], null);

    // Unlabeled sets are plain values, and every package has an "every version" set and one per
    // decided version: for the usual handful of versions they are made once per process and shared.
    private const int SharedUniverseLimit = 64;
    private static readonly VersionSet?[] SharedFull = new VersionSet?[SharedUniverseLimit];
    private static readonly VersionSet?[]?[] SharedSingles = new VersionSet?[]?[SharedUniverseLimit];

    public static VersionSet Full(int universe)
    {
        if (universe >= SharedUniverseLimit) return new(universe, [0, universe], null);
        return SharedFull[universe] ??= new(universe, [0, universe], null);
    }

    public static VersionSet Range(int universe, int start, int end, string? label = null) =>
        start >= end ? new(universe, [], label) : new(universe, [start, end], label);

    public static VersionSet Single(int universe, int point)
    {
        if (universe >= SharedUniverseLimit || (uint)point >= (uint)universe) return Range(universe, point, point + 1);
        var singles = SharedSingles[universe] ??= new VersionSet?[universe];
        return singles[point] ??= Range(universe, point, point + 1);
    }

    /// <summary>Builds a set from ascending, distinct points.</summary>
    public static VersionSet FromPoints(int universe, IEnumerable<int> ascendingPoints, string? label = null)
    {
        var bounds = new List<int>();
        foreach (var point in ascendingPoints)
        {
            if (bounds.Count > 0 && bounds[^1] == point)
            {
                bounds[^1] = point + 1;
            }
            else
            {
                bounds.Add(point);
                bounds.Add(point + 1);
            }
        }
        return new(universe, CollectionsMarshal.AsSpan(bounds), label);
    }

    /// <summary>Builds a set from half-open intervals in any order; overlapping or touching ones merge.</summary>
    public static VersionSet FromIntervals(int universe, List<(int Start, int End)> intervals, string? label = null)
    {
        intervals.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var bounds = new List<int>(intervals.Count * 2);
        foreach (var (start, end) in intervals)
        {
            if (start >= end) continue;
            if (bounds.Count > 0 && start <= bounds[^1]) bounds[^1] = Math.Max(bounds[^1], end);
            else
            {
                bounds.Add(start);
                bounds.Add(end);
            }
        }
        return new(universe, CollectionsMarshal.AsSpan(bounds), label);
    }

    public VersionSet WithLabel(string? label) => label == Label ? this : new(Universe, Bounds, label);

    public int Start(int interval) => Bounds[2 * interval];

    public int End(int interval) => Bounds[(2 * interval) + 1];

    public bool Contains(int point)
    {
        var bounds = Bounds;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            if (point < bounds[i]) return false;
            if (point < bounds[i + 1]) return true;
        }
        return false;
    }

    /// <summary>Number of points below <paramref name="limit"/> in the set.</summary>
    public int CountBelow(int limit)
    {
        var bounds = Bounds;
        var count = 0;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            if (bounds[i] >= limit) break;
            count += Math.Min(bounds[i + 1], limit) - bounds[i];
        }
        return count;
    }

    /// <summary>The highest point below <paramref name="limit"/>, or -1.</summary>
    public int HighestBelow(int limit)
    {
        var bounds = Bounds;
        for (var i = bounds.Length - 2; i >= 0; i -= 2)
        {
            if (bounds[i] < limit) return Math.Min(bounds[i + 1], limit) - 1;
        }
        return -1;
    }

    public VersionSet Complement()
    {
        var bounds = Bounds;
        var result = new List<int>(bounds.Length + 2);
        var cursor = 0;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            if (bounds[i] > cursor)
            {
                result.Add(cursor);
                result.Add(bounds[i]);
            }
            cursor = bounds[i + 1];
        }
        if (cursor < Universe)
        {
            result.Add(cursor);
            result.Add(Universe);
        }
        return new(Universe, CollectionsMarshal.AsSpan(result), null);
    }

    public VersionSet Intersect(VersionSet other)
    {
        var bounds = Bounds;
        if (IsFull) return other;
        if (other.IsFull || ReferenceEquals(this, other)) return this;
        var theirs = other.Bounds;
        var capacity = bounds.Length + theirs.Length;
        var result = capacity <= StackLimit ? stackalloc int[capacity] : new int[capacity];
        var count = 0;
        int i = 0, j = 0;
        while (i < bounds.Length && j < theirs.Length)
        {
            var start = Math.Max(bounds[i], theirs[j]);
            var end = Math.Min(bounds[i + 1], theirs[j + 1]);
            if (start < end)
            {
                result[count++] = start;
                result[count++] = end;
            }
            if (bounds[i + 1] < theirs[j + 1]) i += 2;
            else j += 2;
        }
        return Preferring(result[..count], other);
    }

    public VersionSet Union(VersionSet other)
    {
        var bounds = Bounds;
        if (IsEmpty) return other;
        if (other.IsEmpty || ReferenceEquals(this, other)) return this;
        var theirs = other.Bounds;
        var capacity = bounds.Length + theirs.Length;
        var result = capacity <= StackLimit ? stackalloc int[capacity] : new int[capacity];
        var count = 0;
        int i = 0, j = 0;
        while (i < bounds.Length || j < theirs.Length)
        {
            int start, end;
            if (j >= theirs.Length || (i < bounds.Length && bounds[i] <= theirs[j]))
            {
                start = bounds[i];
                end = bounds[i + 1];
                i += 2;
            }
            else
            {
                start = theirs[j];
                end = theirs[j + 1];
                j += 2;
            }
            if (count > 0 && start <= result[count - 1])
            {
                result[count - 1] = Math.Max(result[count - 1], end);
            }
            else
            {
                result[count++] = start;
                result[count++] = end;
            }
        }
        return Preferring(result[..count], other);
    }

    /// <summary>The points of this set that are not in <paramref name="other"/>.</summary>
    public VersionSet Difference(VersionSet other)
    {
        var bounds = Bounds;
        // Same results (and labels) as intersecting with the complement, without building it.
        if (IsFull) return other.Complement();
        if (other.IsEmpty || IsEmpty) return this;
        var theirs = other.Bounds;
        var capacity = bounds.Length + theirs.Length;
        var result = capacity <= StackLimit ? stackalloc int[capacity] : new int[capacity];
        var count = 0;
        var j = 0;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            var start = bounds[i];
            var end = bounds[i + 1];
            while (j < theirs.Length && theirs[j + 1] <= start) j += 2;
            var k = j;
            while (start < end && k < theirs.Length && theirs[k] < end)
            {
                if (theirs[k] > start)
                {
                    result[count++] = start;
                    result[count++] = theirs[k];
                }
                start = Math.Max(start, theirs[k + 1]);
                k += 2;
            }
            if (start < end)
            {
                result[count++] = start;
                result[count++] = end;
            }
        }
        if (count == 0) return new(Universe, [], null);
        return result[..count].SequenceEqual(bounds) ? this : new(Universe, result[..count], null);
    }

    /// <summary>True when every point of this set is in <paramref name="other"/> (no allocation).</summary>
    public bool IsSubsetOf(VersionSet other)
    {
        var bounds = Bounds;
        var j = 0;
        var theirs = other.Bounds;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            // Each of our intervals must lie inside a single interval of theirs (theirs are non-adjacent).
            while (j < theirs.Length && theirs[j + 1] <= bounds[i]) j += 2;
            if (j >= theirs.Length || theirs[j] > bounds[i] || theirs[j + 1] < bounds[i + 1]) return false;
        }
        return true;
    }

    /// <summary>True when no point is in both sets (no allocation).</summary>
    public bool IsDisjointFrom(VersionSet other)
    {
        var bounds = Bounds;
        var theirs = other.Bounds;
        int i = 0, j = 0;
        while (i < bounds.Length && j < theirs.Length)
        {
            if (Math.Max(bounds[i], theirs[j]) < Math.Min(bounds[i + 1], theirs[j + 1])) return false;
            if (bounds[i + 1] < theirs[j + 1]) i += 2;
            else j += 2;
        }
        return true;
    }

    /// <summary>Returns an operand when the result equals it, so a human spelling survives.</summary>
    private VersionSet Preferring(ReadOnlySpan<int> result, VersionSet other)
    {
        var bounds = Bounds;
        if (result.SequenceEqual(bounds)) return this;
        if (result.SequenceEqual(other.Bounds)) return other;
        return new(Universe, result, null);
    }

    public bool Equals(VersionSet? other) =>
        other is not null && Universe == other.Universe && Bounds.SequenceEqual(other.Bounds);

    public override bool Equals(object? obj) => Equals(obj as VersionSet);

    public override int GetHashCode()
    {
        var bounds = Bounds;
        var hash = new HashCode();
        hash.Add(Universe);
        foreach (var b in bounds) hash.Add(b);
        return hash.ToHashCode();
    }

    public override string ToString() => Label ?? string.Join(" ", Bounds.ToArray().Chunk(2).Select(c => $"[{c[0]},{c[1]})"));
}
