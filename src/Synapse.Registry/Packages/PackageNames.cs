using System.Buffers;

namespace Synapse.Registry.Packages;

/// <summary>Canonical spelling used for lookups: lowercase, <c>_</c> mapped to <c>-</c>.</summary>
internal static class PackageNames
{
    private static readonly SearchValues<char> UrlNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private static readonly SearchValues<char> CanonicalChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>The canonical spelling; the same instance when <paramref name="name"/> is already canonical (the usual case).</summary>
    public static string Canonical(string name) =>
        name.AsSpan().ContainsAnyExcept(CanonicalChars) ? name.Trim().ToLowerInvariant().Replace('_', '-') : name;

    /// <summary>A cheap shape check for names coming from URLs (full rules apply on publish).</summary>
    public static bool LooksValid(string name) =>
        name.Length is > 0 and <= 64 && !name.AsSpan().ContainsAnyExcept(UrlNameChars);

    public static string NormalizedVersion(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
