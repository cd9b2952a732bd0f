using System.Text.RegularExpressions;

namespace Synapse.Versioning.Internal;

/// <summary>
/// node-semver's range regular expressions (the bounded "safe" variants from <c>internal/re.js</c>), ported
/// verbatim so that desugaring matches it exactly. JavaScript's <c>\s</c> and <c>\d</c> are spelled out because
/// .NET's differ, and <c>$</c> becomes <c>\z</c> because .NET's also matches before a final newline.
/// </summary>
internal static partial class RangeGrammar
{
    private const string Ws = @"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";
    private const string WsChars = @"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
    private const string Numeric = "0|[1-9][0-9]{0,256}";
    private const string NumericLoose = "[0-9]{1,256}";
    private const string NonNumeric = "[0-9]{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}";
    private const string MainVersion = "(" + Numeric + @")\.(" + Numeric + @")\.(" + Numeric + ")";
    private const string MainVersionLoose = "(" + NumericLoose + @")\.(" + NumericLoose + @")\.(" + NumericLoose + ")";
    private const string PrereleaseId = "(?:" + NonNumeric + "|" + Numeric + ")";
    private const string PrereleaseIdLoose = "(?:" + NonNumeric + "|" + NumericLoose + ")";
    private const string Prerelease = "(?:-(" + PrereleaseId + @"(?:\." + PrereleaseId + ")*))";
    private const string PrereleaseLoose = "(?:-?(" + PrereleaseIdLoose + @"(?:\." + PrereleaseIdLoose + ")*))";
    private const string BuildId = "[a-zA-Z0-9-]{1,250}";
    private const string Build = @"(?:\+(" + BuildId + @"(?:\." + BuildId + ")*))";
    private const string FullPlain = "v?" + MainVersion + Prerelease + "?" + Build + "?";
    private const string LoosePlain = "[v=" + WsChars + "]*" + MainVersionLoose + PrereleaseLoose + "?" + Build + "?";
    private const string GtLt = "((?:<|>)?=?)";
    private const string XRangeId = "0|[1-9][0-9]{0,256}|x|X|\\*";
    private const string XRangePlain = "[v=" + WsChars + "]*(" + XRangeId + @")(?:\.(" + XRangeId + @")(?:\.(" + XRangeId + ")(?:" + Prerelease + ")?" + Build + "?)?)?";
    private const string Options = "";

    private const int TimeoutMs = 2000;

    /// <summary>Unbounded global build-metadata stripper (node-semver's <c>BUILDSTRIPRE</c>).</summary>
    [GeneratedRegex(@"(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))" + Options, RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex BuildStrip();

    [GeneratedRegex(Build, RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex BuildOnce();

    [GeneratedRegex("^" + Ws + "{0,1}(" + XRangePlain + ")" + Ws + "{1,1}-" + Ws + "{1,1}(" + XRangePlain + ")" + Ws + "{0,1}\\z", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex HyphenRange();

    [GeneratedRegex("(" + Ws + "{0,1})" + GtLt + Ws + "{0,1}(" + LoosePlain + "|" + XRangePlain + ")", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex ComparatorTrim();

    [GeneratedRegex("(" + Ws + "{0,1})(?:~>?)" + Ws + "{1,1}", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex TildeTrim();

    [GeneratedRegex("(" + Ws + @"{0,1})(?:\^)" + Ws + "{1,1}", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex CaretTrim();

    [GeneratedRegex("^(?:~>?)" + XRangePlain + "\\z", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex Tilde();

    [GeneratedRegex(@"^(?:\^)" + XRangePlain + "\\z", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex Caret();

    [GeneratedRegex("^" + GtLt + Ws + "{0,1}" + XRangePlain + "\\z", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex XRange();

    [GeneratedRegex("(<|>)?=?" + Ws + @"{0,1}\*", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex Star();

    [GeneratedRegex("^" + Ws + "{0,1}>=" + Ws + @"{0,1}0\.0\.0" + Ws + "{0,1}\\z", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex GreaterOrEqualZero();

    [GeneratedRegex("^" + GtLt + Ws + "{0,1}(" + FullPlain + ")\\z|^\\z", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex Comparator();

    [GeneratedRegex(Ws + "+", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex WhiteSpaceRun();
}
