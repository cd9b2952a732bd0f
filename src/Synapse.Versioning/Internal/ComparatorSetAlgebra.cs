namespace Synapse.Versioning.Internal;

/// <summary>One side of an interval: a version and whether it is itself included.</summary>
internal readonly record struct Bound(SemanticVersion Version, bool Inclusive);

/// <summary>
/// Simplification, emptiness and intersection of comparator sets under node-semver's rules, including the
/// prerelease rule: a prerelease version passes a set only if a comparator of that set names a prerelease of the
/// same major.minor.patch ("tuple").
/// </summary>
internal static class ComparatorSetAlgebra
{
    /// <summary>The tightest lower and upper bound of a set; <c>=v</c> counts as both <c>&gt;=v</c> and <c>&lt;=v</c>.</summary>
    public static (Bound? Lower, Bound? Upper) Bounds(IEnumerable<Comparator> set)
    {
        Bound? lower = null;
        Bound? upper = null;
        foreach (var comparator in set)
        {
            if (comparator.Version is not { } version)
            {
                continue;
            }

            switch (comparator.Operator)
            {
                case ComparatorOperator.Greater:
                    lower = TighterLower(lower, new Bound(version, false));
                    break;
                case ComparatorOperator.GreaterOrEqual:
                    lower = TighterLower(lower, new Bound(version, true));
                    break;
                case ComparatorOperator.Less:
                    upper = TighterUpper(upper, new Bound(version, false));
                    break;
                case ComparatorOperator.LessOrEqual:
                    upper = TighterUpper(upper, new Bound(version, true));
                    break;
                default:
                    lower = TighterLower(lower, new Bound(version, true));
                    upper = TighterUpper(upper, new Bound(version, true));
                    break;
            }
        }

        return (lower, upper);
    }

    /// <summary>The major.minor.patch of every prerelease version named in the set.</summary>
    public static HashSet<(long, long, long)> PrereleaseTuples(IEnumerable<Comparator> set)
    {
        var tuples = new HashSet<(long, long, long)>();
        foreach (var comparator in set)
        {
            if (comparator.Version is { IsPrerelease: true } version)
            {
                tuples.Add(Tuple(version));
            }
        }

        return tuples;
    }

    /// <summary>True when no version at all satisfies the set.</summary>
    public static bool IsEmpty(IReadOnlyList<Comparator> set)
    {
        var (lower, upper) = Bounds(set);
        return IsEmpty(lower, upper);
    }

    /// <summary>
    /// The intersection of two comparator sets as one simplified set (at most a lower and an upper bound, or one
    /// exact version), or null when no version satisfies both.
    /// </summary>
    public static IReadOnlyList<Comparator>? Intersect(IReadOnlyList<Comparator> left, IReadOnlyList<Comparator> right)
    {
        var allowed = PrereleaseTuples(left);
        allowed.IntersectWith(PrereleaseTuples(right));
        var (lower, upper) = Bounds(left.Concat(right));

        // A bound that names a prerelease only one side allows would let that side's forbidden prereleases in:
        // move it to the nearest bound that admits the same releases and no prerelease of that tuple.
        if (lower is { } l && l.Version.IsPrerelease && !allowed.Contains(Tuple(l.Version)))
        {
            lower = new Bound(Release(l.Version), true);
        }

        if (upper is { } u && u.Version.IsPrerelease && !allowed.Contains(Tuple(u.Version)))
        {
            upper = new Bound(SemanticVersion.Create(u.Version.Major, u.Version.Minor, u.Version.Patch, ["0"]), false);
        }

        if (IsEmpty(lower, upper))
        {
            return null;
        }

        if (lower is { Inclusive: true } exactLow && upper is { Inclusive: true } exactHigh && exactLow.Version == exactHigh.Version)
        {
            return [new Comparator(ComparatorOperator.Equal, exactLow.Version)];
        }

        var result = new List<Comparator>(2);
        if (lower is { } low)
        {
            result.Add(new Comparator(low.Inclusive ? ComparatorOperator.GreaterOrEqual : ComparatorOperator.Greater, low.Version));
        }

        if (upper is { } high)
        {
            result.Add(new Comparator(high.Inclusive ? ComparatorOperator.LessOrEqual : ComparatorOperator.Less, high.Version));
        }

        return result.Count == 0 ? [Comparator.Any] : result;
    }

    /// <summary>
    /// Whether the interval holds a release, or a prerelease of a tuple its bounds name (the only prereleases a
    /// set built from these bounds admits). Checks the smallest candidate of each kind.
    /// </summary>
    private static bool IsEmpty(Bound? lower, Bound? upper)
    {
        SemanticVersion? firstRelease;
        if (lower is not { } low)
        {
            firstRelease = SemanticVersion.Create(0, 0, 0);
        }
        else if (low.Version.IsPrerelease || low.Inclusive)
        {
            firstRelease = Release(low.Version);
        }
        else
        {
            firstRelease = low.Version.Patch < SemanticVersion.MaxNumber
                ? SemanticVersion.Create(low.Version.Major, low.Version.Minor, low.Version.Patch + 1)
                : null;
        }

        if (firstRelease is not null && Within(firstRelease, lower, upper))
        {
            return false;
        }

        foreach (var bound in new[] { lower, upper })
        {
            if (bound is not { Version.IsPrerelease: true } named)
            {
                continue;
            }

            var tuple = Tuple(named.Version);
            SemanticVersion candidate;
            if (lower is { } from && from.Version.IsPrerelease && Tuple(from.Version) == tuple)
            {
                candidate = from.Inclusive
                    ? from.Version
                    : SemanticVersion.Create(tuple.Item1, tuple.Item2, tuple.Item3, [.. from.Version.Prerelease, "0"]);
            }
            else
            {
                candidate = SemanticVersion.Create(tuple.Item1, tuple.Item2, tuple.Item3, ["0"]);
            }

            if (Within(candidate, lower, upper))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Within(SemanticVersion version, Bound? lower, Bound? upper)
    {
        if (lower is { } low && (low.Inclusive ? version < low.Version : version <= low.Version))
        {
            return false;
        }

        return upper is not { } high || (high.Inclusive ? version <= high.Version : version < high.Version);
    }

    private static Bound? TighterLower(Bound? current, Bound candidate)
    {
        if (current is not { } existing)
        {
            return candidate;
        }

        var order = candidate.Version.CompareTo(existing.Version);
        return order > 0 || (order == 0 && !candidate.Inclusive) ? candidate : existing;
    }

    private static Bound? TighterUpper(Bound? current, Bound candidate)
    {
        if (current is not { } existing)
        {
            return candidate;
        }

        var order = candidate.Version.CompareTo(existing.Version);
        return order < 0 || (order == 0 && !candidate.Inclusive) ? candidate : existing;
    }

    private static (long, long, long) Tuple(SemanticVersion version) => (version.Major, version.Minor, version.Patch);

    private static SemanticVersion Release(SemanticVersion version) =>
        version.IsPrerelease || version.Build.Count > 0 ? SemanticVersion.Create(version.Major, version.Minor, version.Patch) : version;
}
