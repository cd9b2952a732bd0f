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
    public Term(PackageUniverse package, VersionSet set, bool isPositive)
        : this(package.Name, package.Id, set, isPositive)
    {
    }

    private Term(string package, int packageId, VersionSet set, bool isPositive)
    {
        Package = package;
        PackageId = packageId;
        Set = set;
        IsPositive = isPositive;
    }

    public string Package { get; }

    /// <summary>The package's <see cref="PackageUniverse.Id"/>: the solver's per-package state is indexed by it.</summary>
    public int PackageId { get; }

    public VersionSet Set { get; }

    public bool IsPositive { get; }

    private Term? _inverse;

    /// <summary>The opposite term (made once: derivations and conflict resolution ask for it repeatedly).</summary>
    public Term Inverse => _inverse ??= new Term(Package, PackageId, Set, !IsPositive) { _inverse = this };

    /// <summary>A positive term over no version can never hold; a negative term always can (by not selecting).</summary>
    public bool IsEmpty => IsPositive && Set.IsEmpty;

    public Term Intersect(Term other)
    {
        if (IsPositive && other.IsPositive) return With(Set.Intersect(other.Set), true, other);
        if (IsPositive) return With(Set.Difference(other.Set), true, other);
        if (other.IsPositive) return With(other.Set.Difference(Set), true, other);
        return With(Set.Union(other.Set), false, other);
    }

    /// <summary>An operand when it already says exactly this (sets keep their identity), else a new term.</summary>
    private Term With(VersionSet set, bool isPositive, Term other)
    {
        if (ReferenceEquals(set, Set) && isPositive == IsPositive) return this;
        if (ReferenceEquals(set, other.Set) && isPositive == other.IsPositive) return other;
        return new(Package, PackageId, set, isPositive);
    }

    /// <summary>The selections allowed by this term and not by <paramref name="other"/>, or null when there are none.</summary>
    public Term? Difference(Term other)
    {
        var result = Intersect(other.Inverse);
        return result.IsEmpty ? null : result;
    }

    public bool Satisfies(Term other) => PackageId == other.PackageId && RelationTo(other) == SetRelation.Subset;

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
