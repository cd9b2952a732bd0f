using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Synapse.Versioning.Internal;

namespace Synapse.Versioning;

/// <summary>
/// A strict SemVer 2.0.0 version, parsed exactly like node-semver's <c>semver.valid()</c> (default options):
/// surrounding whitespace and one leading <c>v</c> are accepted, numbers go up to 2^53-1, input is at most 256
/// characters. Build metadata is kept but ignored for precedence, equality and hash code.
/// </summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    /// <summary>The largest accepted number: JavaScript's <c>Number.MAX_SAFE_INTEGER</c> (2^53-1).</summary>
    public const long MaxNumber = 9007199254740991;

    /// <summary>The longest accepted input, as node-semver's <c>MAX_LENGTH</c>.</summary>
    public const int MaxLength = 256;

    private static readonly string[] NoIdentifiers = [];

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

    /// <summary>
    /// Creates a version from its parts, validating them as <see cref="Parse"/> would; throws
    /// <see cref="ArgumentException"/> for a negative or too large number or an invalid identifier.
    /// </summary>
    /// <param name="major">The major number, 0 to <see cref="MaxNumber"/>.</param>
    /// <param name="minor">The minor number, 0 to <see cref="MaxNumber"/>.</param>
    /// <param name="patch">The patch number, 0 to <see cref="MaxNumber"/>.</param>
    /// <param name="prerelease">Prerelease identifiers, or null for a release.</param>
    /// <param name="build">Build metadata identifiers, or null for none.</param>
    public static SemanticVersion Create(long major, long minor, long patch, IEnumerable<string>? prerelease = null, IEnumerable<string>? build = null)
    {
        CheckNumber(major, nameof(major));
        CheckNumber(minor, nameof(minor));
        CheckNumber(patch, nameof(patch));
        var pre = prerelease?.ToArray() ?? NoIdentifiers;
        var meta = build?.ToArray() ?? NoIdentifiers;
        foreach (var id in pre)
        {
            var error = CheckIdentifier(id, isPrerelease: true);
            if (error is not null)
            {
                throw new ArgumentException($"Invalid prerelease: {error}.", nameof(prerelease));
            }
        }

        foreach (var id in meta)
        {
            var error = CheckIdentifier(id, isPrerelease: false);
            if (error is not null)
            {
                throw new ArgumentException($"Invalid build metadata: {error}.", nameof(build));
            }
        }

        return new SemanticVersion(major, minor, patch, pre.Length == 0 ? NoIdentifiers : pre, meta.Length == 0 ? NoIdentifiers : meta);
    }

    /// <summary>Parses a strict SemVer 2.0.0 string; throws <see cref="FormatException"/> saying what was expected where.</summary>
    public static SemanticVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var version, out var error) ? version : throw new FormatException(error);
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version) =>
        TryParse(text, out version, out _);

    /// <summary>Parses without throwing; on failure <paramref name="error"/> says what was expected where.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version, [NotNullWhen(false)] out string? error)
    {
        version = null;
        if (text is null)
        {
            error = "Invalid version: no text given (null); expected MAJOR.MINOR.PATCH such as \"1.2.3\".";
            return false;
        }

        version = TryParseCommon(text);
        if (version is not null)
        {
            error = null;
            return true;
        }

        error = Validate(text, out version);
        return error is null;
    }

    /// <summary>A version from parts already known to be valid (numbers in range, identifiers well formed).</summary>
    internal static SemanticVersion FromValidParts(long major, long minor, long patch, string[]? prerelease) =>
        new(major, minor, patch, prerelease ?? NoIdentifiers, NoIdentifiers);

    /// <summary>
    /// Single pass over the plain form <c>[v]MAJOR.MINOR.PATCH[-PRE][+BUILD]</c> without surrounding whitespace;
    /// null for anything else, which <see cref="Validate"/> then parses or explains.
    /// </summary>
    private static SemanticVersion? TryParseCommon(string text)
    {
        var span = text.AsSpan();
        if (span.Length > MaxLength)
        {
            return null;
        }

        var position = span.Length > 0 && span[0] == 'v' ? 1 : 0;
        Span<long> numbers = stackalloc long[3];
        for (var i = 0; i < 3; i++)
        {
            var start = position;
            long number = 0;
            while (position < span.Length && char.IsAsciiDigit(span[position]))
            {
                number = (number * 10) + (span[position] - '0');
                position++;
            }

            // 15 digits always fit below MaxNumber; longer numbers take the slow path, which checks the limit.
            var digits = position - start;
            if (digits == 0 || digits > 15 || (digits > 1 && span[start] == '0'))
            {
                return null;
            }

            numbers[i] = number;
            if (i < 2)
            {
                if (position >= span.Length || span[position] != '.')
                {
                    return null;
                }

                position++;
            }
        }

        var prerelease = NoIdentifiers;
        if (position < span.Length && span[position] == '-')
        {
            var end = span[position..].IndexOf('+');
            end = end < 0 ? span.Length : position + end;
            prerelease = SplitIdentifiers(span[(position + 1)..end], isPrerelease: true);
            if (prerelease is null)
            {
                return null;
            }

            position = end;
        }

        var build = NoIdentifiers;
        if (position < span.Length && span[position] == '+')
        {
            build = SplitIdentifiers(span[(position + 1)..], isPrerelease: false);
            if (build is null)
            {
                return null;
            }

            position = span.Length;
        }

        return position == span.Length ? new SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease, build) : null;
    }

    /// <summary>Dot-separated identifiers of 0-9, A-Z, a-z and -, none empty; null when any is not.</summary>
    private static string[]? SplitIdentifiers(ReadOnlySpan<char> text, bool isPrerelease)
    {
        if (text.IsEmpty)
        {
            return null;
        }

        var identifiers = new string[text.Count('.') + 1];
        var index = 0;
        foreach (var range in text.Split('.'))
        {
            var id = text[range];
            if (id.IsEmpty)
            {
                return null;
            }

            var numeric = true;
            foreach (var c in id)
            {
                if (!char.IsAsciiDigit(c))
                {
                    if (!char.IsAsciiLetter(c) && c != '-')
                    {
                        return null;
                    }

                    numeric = false;
                }
            }

            if (isPrerelease && numeric && id.Length > 1 && id[0] == '0')
            {
                return null;
            }

            identifiers[index++] = id.ToString();
        }

        return identifiers;
    }

    /// <summary>The general parser (no fast path): tests use it as the reference for <see cref="TryParseCommon"/>.</summary>
    internal static string? Validate(string text, out SemanticVersion? version)
    {
        version = null;
        string Fail(string what) => $"Invalid version {JsText.Quote(text)}: {what}.";

        if (text.Length > MaxLength)
        {
            return Fail($"longer than {MaxLength} characters ({text.Length})");
        }

        var body = JsText.Trim(text);
        if (body.Length == 0)
        {
            return Fail("expected MAJOR.MINOR.PATCH such as \"1.2.3\", found nothing");
        }

        if (body[0] == 'v')
        {
            body = body[1..];
        }

        string? build = null;
        var plus = body.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            build = body[(plus + 1)..];
            body = body[..plus];
        }

        string? prerelease = null;
        var dash = body.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            prerelease = body[(dash + 1)..];
            body = body[..dash];
        }

        var parts = body.Split('.');
        var numbers = new long[3];
        if (parts.Length != 3)
        {
            if (parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            {
                return Fail($"expected MAJOR.MINOR.PATCH, found {parts.Length} numeric part{(parts.Length == 1 ? "" : "s")}");
            }

            return Fail($"expected MAJOR.MINOR.PATCH such as \"1.2.3\", found {JsText.Quote(body)}");
        }

        string[] names = ["major", "minor", "patch"];
        for (var i = 0; i < 3; i++)
        {
            var part = parts[i];
            var name = names[i];
            if (part.Length == 0)
            {
                return Fail($"{name} component is empty; expected a number");
            }

            if (!part.All(char.IsAsciiDigit))
            {
                return Fail($"{name} component {JsText.Quote(part)} is not a number; expected digits 0-9");
            }

            if (part.Length > 1 && part[0] == '0')
            {
                return Fail($"leading zero in {name} component {JsText.Quote(part)}");
            }

            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] > MaxNumber)
            {
                return Fail($"{name} component {JsText.Quote(part)} is larger than the maximum {MaxNumber}");
            }
        }

        var pre = NoIdentifiers;
        if (prerelease is not null)
        {
            if (prerelease.Length == 0)
            {
                return Fail("expected prerelease identifiers after \"-\", found nothing");
            }

            pre = prerelease.Split('.');
            foreach (var id in pre)
            {
                var problem = CheckIdentifier(id, isPrerelease: true);
                if (problem is not null)
                {
                    return Fail(problem);
                }
            }
        }

        var meta = NoIdentifiers;
        if (build is not null)
        {
            if (build.Length == 0)
            {
                return Fail("expected build metadata after \"+\", found nothing");
            }

            meta = build.Split('.');
            foreach (var id in meta)
            {
                var problem = CheckIdentifier(id, isPrerelease: false);
                if (problem is not null)
                {
                    return Fail(problem);
                }
            }
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], pre, meta);
        return null;
    }

    private static string? CheckIdentifier(string? id, bool isPrerelease)
    {
        var kind = isPrerelease ? "prerelease" : "build metadata";
        if (string.IsNullOrEmpty(id))
        {
            return $"empty {kind} identifier; identifiers are separated by single dots";
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"{kind} identifier {JsText.Quote(id)} contains {JsText.Quote(c.ToString())}; only 0-9, A-Z, a-z and - are allowed";
            }
        }

        if (isPrerelease && id.Length > 1 && id[0] == '0' && IsNumeric(id))
        {
            return $"leading zero in numeric prerelease identifier {JsText.Quote(id)}";
        }

        return null;
    }

    private static void CheckNumber(long value, string name)
    {
        if (value is < 0 or > MaxNumber)
        {
            throw new ArgumentOutOfRangeException(name, value, $"A version number must be between 0 and {MaxNumber}.");
        }
    }

    private static bool IsNumeric(string id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares two prerelease identifiers per SemVer §11: numeric ones numerically and below alphanumeric ones.</summary>
    private static int CompareIdentifiers(string a, string b)
    {
        var aNumeric = IsNumeric(a);
        var bNumeric = IsNumeric(b);
        if (aNumeric && bNumeric)
        {
            // No leading zeros, so a longer number is a larger one; this stays exact beyond 64 bits.
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
        }

        if (aNumeric != bNumeric)
        {
            return aNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(a, b));
    }

    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        var result = Major.CompareTo(other.Major);
        if (result != 0)
        {
            return result;
        }

        result = Minor.CompareTo(other.Minor);
        if (result != 0)
        {
            return result;
        }

        result = Patch.CompareTo(other.Patch);
        if (result != 0)
        {
            return result;
        }

        if (Prerelease.Count == 0 || other.Prerelease.Count == 0)
        {
            // A release has higher precedence than any of its prereleases.
            return Prerelease.Count == other.Prerelease.Count ? 0 : Prerelease.Count == 0 ? 1 : -1;
        }

        var shared = Math.Min(Prerelease.Count, other.Prerelease.Count);
        for (var i = 0; i < shared; i++)
        {
            result = CompareIdentifiers(Prerelease[i], other.Prerelease[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    /// <inheritdoc />
    public bool Equals(SemanticVersion? other) => CompareTo(other) == 0 && other is not null;
    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SemanticVersion);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Major);
        hash.Add(Minor);
        hash.Add(Patch);
        foreach (var id in Prerelease)
        {
            hash.Add(id, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

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

    /// <summary>The full version including build metadata, e.g. <c>1.2.3-alpha.1+build.5</c>.</summary>
    public override string ToString() =>
        Build.Count == 0 ? ToPrecedenceString() : ToPrecedenceString() + "+" + string.Join('.', Build);

    /// <summary>The version without build metadata (node-semver's <c>version.version</c>), e.g. <c>1.2.3-alpha.1</c>.</summary>
    public string ToPrecedenceString()
    {
        var core = string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
        return Prerelease.Count == 0 ? core : core + "-" + string.Join('.', Prerelease);
    }
}
