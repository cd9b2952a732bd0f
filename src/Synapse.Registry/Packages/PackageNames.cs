namespace Synapse.Registry.Packages;

/// <summary>Canonical spelling used for lookups: lowercase, <c>_</c> mapped to <c>-</c>.</summary>
internal static class PackageNames
{
    public static string Canonical(string name) => name.Trim().ToLowerInvariant().Replace('_', '-');

    /// <summary>A cheap shape check for names coming from URLs (full rules apply on publish).</summary>
    public static bool LooksValid(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string NormalizedVersion(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
