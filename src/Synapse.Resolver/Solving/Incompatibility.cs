using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Synapse.Resolver.Solving;

internal enum IncompatibilityKind
{
    /// <summary>The root package must be selected.</summary>
    Root,
    /// <summary>A range of versions of one package depends on another package.</summary>
    Dependency,
    /// <summary>No known version matches a constraint.</summary>
    NoVersions,
    /// <summary>The source knows no package by that name.</summary>
    PackageNotFound,
    /// <summary>Derived from two other incompatibilities during conflict resolution.</summary>
    Conflict,
}

/// <summary>A set of terms that cannot all hold in any solution.</summary>
internal sealed class Incompatibility
{
    // Most incompatibilities (every dependency) have two terms or fewer: they are kept in the object
    // itself, so propagation reaches a term in one memory access, not two. Longer term lists, the
    // derivation and any kind but Dependency, which only the root, failures and conflict resolution
    // make, live in a separate object, so the tens of thousands of dependency incompatibilities
    // hold their two terms and nothing else.
    private readonly TwoTerms _fewTerms;
    private readonly RareParts? _rare;

    private Incompatibility(ReadOnlySpan<Term> terms, IncompatibilityKind kind, Incompatibility? conflict, Incompatibility? other)
    {
        Term[]? manyTerms = null;
        if (terms.Length <= 2) terms.CopyTo(_fewTerms);
        else manyTerms = terms.ToArray();
        if (manyTerms is not null || conflict is not null || other is not null || kind != IncompatibilityKind.Dependency)
        {
            _rare = new RareParts(kind, manyTerms, conflict, other);
        }
    }

    /// <summary>Unused slots stay null.</summary>
    [InlineArray(2)]
    private struct TwoTerms
    {
        private Term _term;
    }

    private sealed record RareParts(IncompatibilityKind Kind, Term[]? ManyTerms, Incompatibility? Conflict, Incompatibility? Other);

    /// <summary>A span, not a list interface: the solver's hot loops iterate it without allocating an enumerator.</summary>
    public ReadOnlySpan<Term> Terms
    {
        get
        {
            if (_rare?.ManyTerms is { } many) return many;
            var count = _fewTerms[1] is not null ? 2 : _fewTerms[0] is not null ? 1 : 0;
            return ((ReadOnlySpan<Term>)_fewTerms)[..count];
        }
    }

    public IncompatibilityKind Kind => _rare?.Kind ?? IncompatibilityKind.Dependency;

    /// <summary>For derived incompatibilities: the incompatibility that was in conflict.</summary>
    public Incompatibility? Conflict => _rare?.Conflict;

    /// <summary>For derived incompatibilities: the cause of the satisfier it was resolved against.</summary>
    public Incompatibility? Other => _rare?.Other;

    public bool IsDerived => Kind == IncompatibilityKind.Conflict;

    public static Incompatibility External(IncompatibilityKind kind, params ReadOnlySpan<Term> terms) => new(terms, kind, null, null);

    /// <summary>
    /// Derives an incompatibility, dropping the (always selected) root package from it and merging
    /// terms about the same package, as pub does: this keeps explanations short.
    /// </summary>
    public static Incompatibility Derived(List<Term> terms, string rootPackage, Incompatibility conflict, Incompatibility other)
    {
        if (terms.Count != 1 && terms.Exists(t => t.IsPositive && t.Package == rootPackage))
        {
            terms = terms.FindAll(t => !t.IsPositive || t.Package != rootPackage);
        }
        if (terms.Count == 1 || (terms.Count == 2 && terms[0].PackageId != terms[1].PackageId))
        {
            return new(CollectionsMarshal.AsSpan(terms), IncompatibilityKind.Conflict, conflict, other);
        }
        var byPackage = new Dictionary<int, Term>();
        var order = new List<int>();
        foreach (var term in terms)
        {
            if (byPackage.TryGetValue(term.PackageId, out var existing))
            {
                byPackage[term.PackageId] = existing.Intersect(term);
            }
            else
            {
                byPackage[term.PackageId] = term;
                order.Add(term.PackageId);
            }
        }
        return new(CollectionsMarshal.AsSpan(order.ConvertAll(p => byPackage[p])), IncompatibilityKind.Conflict, conflict, other);
    }

    public bool IsFailure(string rootPackage) =>
        Terms.Length == 0 || (Terms.Length == 1 && Terms[0].IsPositive && Terms[0].Package == rootPackage);

    public override string ToString() => "{" + string.Join(", ", Terms.ToArray()) + "}";
}
