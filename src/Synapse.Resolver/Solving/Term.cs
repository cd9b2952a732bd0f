namespace Synapse.Resolver.Solving;

internal enum SetRelation
{
    /// <summary>Every selection allowed by the first term is allowed by the second.</summary>
    Subset,
    /// <summary>No selection is allowed by both.</summary>
    Disjoint,
    /// <summary>Neither of the above.</summary>
    Overlapping,
}

/// <summary>
/// A statement about one package: positive "the package is selected with a version in the set",
/// or negative "the package is not selected, or selected outside the set".
/// </summary>
internal sealed class Term
{
    public Term(string package, VersionSet set, bool isPositive)
    {
        Package = package;
        Set = set;
        IsPositive = isPositive;
    }

    public string Package { get; }

    public VersionSet Set { get; }

    public bool IsPositive { get; }

    public Term Inverse => new(Package, Set, !IsPositive);

    /// <summary>A positive term over no version can never hold; a negative term always can (by not selecting).</summary>
    public bool IsEmpty => IsPositive && Set.IsEmpty;

    public Term Intersect(Term other)
    {
        if (IsPositive && other.IsPositive) return new(Package, Set.Intersect(other.Set), true);
        if (IsPositive) return new(Package, Set.Difference(other.Set), true);
        if (other.IsPositive) return new(Package, other.Set.Difference(Set), true);
        return new(Package, Set.Union(other.Set), false);
    }

    /// <summary>The selections allowed by this term and not by <paramref name="other"/>, or null when there are none.</summary>
    public Term? Difference(Term other)
    {
        var result = Intersect(other.Inverse);
        return result.IsEmpty ? null : result;
    }

    public bool Satisfies(Term other) => Package == other.Package && RelationTo(other) == SetRelation.Subset;

    /// <summary>How the selections allowed by this term relate to those allowed by <paramref name="other"/>.</summary>
    public SetRelation RelationTo(Term other)
    {
        if (IsPositive)
        {
            if (other.IsPositive)
            {
                if (Set.IsSubsetOf(other.Set)) return SetRelation.Subset;
                return Set.IsDisjointFrom(other.Set) ? SetRelation.Disjoint : SetRelation.Overlapping;
            }
            if (Set.IsDisjointFrom(other.Set)) return SetRelation.Subset;
            return Set.IsSubsetOf(other.Set) ? SetRelation.Disjoint : SetRelation.Overlapping;
        }
        if (other.IsPositive)
        {
            return other.Set.IsSubsetOf(Set) ? SetRelation.Disjoint : SetRelation.Overlapping;
        }
        return other.Set.IsSubsetOf(Set) ? SetRelation.Subset : SetRelation.Overlapping;
    }

    public override string ToString() => $"{(IsPositive ? "" : "not ")}{Package} {Set}";
}
