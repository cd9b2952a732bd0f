namespace Synapse.Versioning.Internal;

/// <summary>
/// Parses a range as node-semver v7 does (default options): the single-pass <see cref="RangeScanner"/> handles the
/// ordinary forms, and anything it does not recognise (invalid text, <c>v</c> prefixes, build metadata, unusual
/// whitespace) goes to <see cref="RegexRangeParser"/>, which reproduces node-semver's rewriting and error messages.
/// </summary>
internal static class RangeParser
{
    /// <summary>Longer input is refused before any pattern runs; node-semver has no limit, real ranges are short.</summary>
    public const int MaxLength = 1024;

    public static List<List<Comparator>>? Parse(string text, out string? error)
    {
        if (RangeScanner.TryParse(text) is { } sets)
        {
            error = null;
            return sets;
        }

        return RegexRangeParser.Parse(text, out error);
    }
}
