namespace Synapse.Versioning;

/// <summary>The operator of a primitive comparator.</summary>
public enum ComparatorOperator
{
    /// <summary><c>=</c> (or no operator)</summary>
    Equal,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,
}

/// <summary>A primitive comparator such as <c>&gt;=1.2.3</c>, or the match-anything comparator.</summary>
public sealed record Comparator(ComparatorOperator Operator, SemanticVersion? Version)
{
    /// <summary>Matches every version (node-semver's empty comparator); <see cref="Version"/> is null.</summary>
    public bool IsAny => Version is null;
}

/// <summary>A node-semver range: a union (<c>||</c>) of comparator sets, each an intersection.</summary>
public sealed class VersionRange
{
    /// <summary>The comparator sets after desugaring (caret, tilde, x-ranges, hyphens) into primitives.</summary>
    public IReadOnlyList<IReadOnlyList<Comparator>> ComparatorSets => throw new NotImplementedException();
    /// <summary>Parses node-semver range syntax; throws <see cref="FormatException"/> saying what was expected where.</summary>
    public static VersionRange Parse(string text) => throw new NotImplementedException();
    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VersionRange? range) => throw new NotImplementedException();
    /// <summary>True when the version satisfies the range, including node-semver's prerelease rule.</summary>
    public bool IsSatisfiedBy(SemanticVersion version) => throw new NotImplementedException();
    /// <summary>The range satisfied by exactly the versions satisfying both.</summary>
    public VersionRange Intersect(VersionRange other) => throw new NotImplementedException();
    /// <summary>Normalized comparator form, as node-semver's <c>range.range</c>.</summary>
    public override string ToString() => throw new NotImplementedException();
}
