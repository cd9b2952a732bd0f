namespace Synapse.Versioning;

/// <summary>A strict SemVer 2.0.0 version. Build metadata is kept but ignored for precedence and equality.</summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private SemanticVersion(long major, long minor, long patch, IReadOnlyList<string> prerelease, IReadOnlyList<string> build)
    {
        Major = major; Minor = minor; Patch = patch; Prerelease = prerelease; Build = build;
    }

    /// <summary>The major number.</summary>
    public long Major { get; }
    /// <summary>The minor number.</summary>
    public long Minor { get; }
    /// <summary>The patch number.</summary>
    public long Patch { get; }
    /// <summary>Dot-separated prerelease identifiers (empty for a release).</summary>
    public IReadOnlyList<string> Prerelease { get; }
    /// <summary>Dot-separated build metadata identifiers (ignored for precedence).</summary>
    public IReadOnlyList<string> Build { get; }
    /// <summary>True when the version has prerelease identifiers.</summary>
    public bool IsPrerelease => Prerelease.Count > 0;

    /// <summary>Parses a strict SemVer 2.0.0 string; throws <see cref="FormatException"/> saying what was expected where.</summary>
    public static SemanticVersion Parse(string text) => throw new NotImplementedException();
    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SemanticVersion? version) => throw new NotImplementedException();
    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other) => throw new NotImplementedException();
    /// <inheritdoc />
    public bool Equals(SemanticVersion? other) => throw new NotImplementedException();
    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SemanticVersion);
    /// <inheritdoc />
    public override int GetHashCode() => throw new NotImplementedException();
    /// <summary>Compares by precedence.</summary>
    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);
    /// <summary>Compares by precedence.</summary>
    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);
    /// <summary>Compares by precedence.</summary>
    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Comparer<SemanticVersion>.Default.Compare(left, right) < 0;
    /// <summary>Compares by precedence.</summary>
    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Comparer<SemanticVersion>.Default.Compare(left, right) > 0;
    /// <summary>Compares by precedence.</summary>
    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Comparer<SemanticVersion>.Default.Compare(left, right) <= 0;
    /// <summary>Compares by precedence.</summary>
    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Comparer<SemanticVersion>.Default.Compare(left, right) >= 0;
    /// <summary>The full version including build metadata.</summary>
    public override string ToString() => throw new NotImplementedException();
}
