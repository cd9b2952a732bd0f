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
    /// <summary>node-semver's empty comparator: matches every version (prereleases still need the set rule).</summary>
    public static Comparator Any { get; } = new(ComparatorOperator.GreaterOrEqual, null);

    /// <summary>node-semver's impossible comparator <c>&lt;0.0.0-0</c>, which no version satisfies.</summary>
    public static Comparator None { get; } = new(ComparatorOperator.Less, SemanticVersion.Create(0, 0, 0, ["0"]));

    /// <summary>Matches every version (node-semver's empty comparator); <see cref="Version"/> is null.</summary>
    public bool IsAny => Version is null;

    /// <summary>
    /// True when the version passes this single comparator by plain precedence. This ignores the prerelease rule,
    /// which belongs to a whole comparator set (see <see cref="VersionRange.IsSatisfiedBy"/>).
    /// </summary>
    public bool IsSatisfiedBy(SemanticVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (Version is null)
        {
            return true;
        }

        var order = version.CompareTo(Version);
        return Operator switch
        {
            ComparatorOperator.Equal => order == 0,
            ComparatorOperator.Greater => order > 0,
            ComparatorOperator.GreaterOrEqual => order >= 0,
            ComparatorOperator.Less => order < 0,
            ComparatorOperator.LessOrEqual => order <= 0,
            _ => false,
        };
    }

    /// <summary>node-semver's comparator text: operator (none for <c>=</c>) and version without build; empty for any.</summary>
    public override string ToString()
    {
        if (Version is null)
        {
            return "";
        }

        var op = Operator switch
        {
            ComparatorOperator.Greater => ">",
            ComparatorOperator.GreaterOrEqual => ">=",
            ComparatorOperator.Less => "<",
            ComparatorOperator.LessOrEqual => "<=",
            _ => "",
        };
        return op + Version.ToPrecedenceString();
    }
}
