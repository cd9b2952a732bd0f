using System.Collections.Frozen;

namespace Synapse.Packaging;

/// <summary>
/// Rules for package names: 1-64 ASCII characters of lowercase letters, digits, <c>-</c> and <c>_</c>,
/// starting with a letter. Two names with the same <see cref="Canonicalize">canonical form</see>
/// (<c>_</c> read as <c>-</c>) name the same package.
/// </summary>
/// <remarks>
/// Reserved names (compared in canonical form): <c>synapse</c>, <c>std</c>, <c>core</c>, <c>alloc</c>,
/// <c>self</c>, <c>super</c>, <c>crate</c>, <c>test</c>, and the Windows device names <c>con</c>, <c>prn</c>,
/// <c>aux</c>, <c>nul</c>, <c>com1</c>-<c>com9</c>, <c>lpt1</c>-<c>lpt9</c>, which cannot be folder names
/// under <c>synapse_packages/</c> on Windows.
/// </remarks>
public static class PackageName
{
    /// <summary>Longest allowed name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>Names nobody may publish, in canonical form.</summary>
    public static FrozenSet<string> Reserved { get; } = new[]
    {
        "synapse", "std", "core", "alloc", "self", "super", "crate", "test",
        "con", "prn", "aux", "nul",
        "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Checks a name; returns null when it is valid, otherwise what is wrong and what is allowed.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "a package name cannot be empty; use 1-64 characters of lowercase letters, digits, '-' or '_', starting with a letter";
        if (name.Length > MaxLength)
            return $"a package name is at most {MaxLength} characters; this one has {name.Length}";
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterLower(c) || (i > 0 && (char.IsAsciiDigit(c) || c == '-' || c == '_')))
                continue;
            if (i == 0)
            {
                var lower = name.ToLowerInvariant();
                var hint = char.IsAsciiLetterUpper(c) && lower != name && Validate(lower) is null ? $" (try \"{lower}\")" : "";
                return $"a package name must start with a lowercase letter (a-z), not '{Printable(c)}'{hint}";
            }
            if (char.IsAsciiLetterUpper(c))
                return $"a package name must be lowercase: '{Printable(c)}' at position {i + 1} is uppercase (try \"{name.ToLowerInvariant()}\")";
            return $"'{Printable(c)}' at position {i + 1} is not allowed in a package name; use lowercase letters, digits, '-' or '_'";
        }
        if (IsReserved(name))
            return $"\"{name}\" is a reserved name; choose another";
        return null;
    }

    /// <summary>True when the name's canonical form is on the <see cref="Reserved"/> list.</summary>
    public static bool IsReserved(string name) => Reserved.Contains(Canonicalize(name));

    /// <summary>True when <see cref="Validate"/> finds nothing wrong.</summary>
    public static bool IsValid(string? name) => Validate(name) is null;

    /// <summary>The canonical form used for uniqueness and lookups: lowercase, with <c>_</c> mapped to <c>-</c>.</summary>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant().Replace('_', '-');
    }

    /// <summary>True when both names have the same canonical form.</summary>
    public static bool AreEquivalent(string left, string right) =>
        string.Equals(Canonicalize(left), Canonicalize(right), StringComparison.Ordinal);

    private static string Printable(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
