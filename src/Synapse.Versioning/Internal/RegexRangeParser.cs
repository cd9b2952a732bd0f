using System.Text;
using System.Text.RegularExpressions;

namespace Synapse.Versioning.Internal;

/// <summary>
/// Parses a range the way node-semver v7's <c>Range</c> constructor does with default options: the same string
/// rewriting steps (hyphen, trims, caret, tilde, x-range, star, <c>&gt;=0.0.0</c>) in the same order.
/// It is the reference that <see cref="RangeScanner"/> is tested against, and parses whatever the scanner leaves
/// to it (invalid or unusual text), so that errors and odd forms keep node-semver's exact behaviour.
/// </summary>
internal static class RegexRangeParser
{
    /// <summary>Longer input is refused before any pattern runs; node-semver has no limit, real ranges are short.</summary>
    public const int MaxLength = RangeParser.MaxLength;

    private const string NullSetValue = "<0.0.0-0";

    public static List<List<Comparator>>? Parse(string text, out string? error)
    {
        if (text.Length > MaxLength)
        {
            error = $"Invalid range {JsText.Quote(text)}: longer than {MaxLength} characters ({text.Length}).";
            return null;
        }

        try
        {
            return ParseUnchecked(text, out error);
        }
        catch (RegexMatchTimeoutException)
        {
            error = $"Invalid range {JsText.Quote(text)}: too complex to parse.";
            return null;
        }
    }

    private static List<List<Comparator>>? ParseUnchecked(string text, out string? error)
    {
        var raw = RangeGrammar.WhiteSpaceRun().Replace(JsText.Trim(text), " ");
        var sets = new List<List<Comparator>>();
        foreach (var part in raw.Split("||"))
        {
            var set = ParseSet(JsText.Trim(part), out var problem);
            if (set is null)
            {
                error = $"Invalid range {JsText.Quote(text)}: {problem}";
                return null;
            }

            sets.Add(set);
        }

        if (sets.Count > 1)
        {
            var first = sets[0];
            sets.RemoveAll(s => IsNullSet(s[0]));
            if (sets.Count == 0)
            {
                sets.Add(first);
            }
            else if (sets.Count > 1)
            {
                var any = sets.Find(s => s.Count == 1 && s[0].IsAny);
                if (any is not null)
                {
                    sets = [any];
                }
            }
        }

        error = null;
        return sets;
    }

    private static bool IsNullSet(Comparator comparator) => comparator.ToString() == NullSetValue;

    private static List<Comparator>? ParseSet(string range, out string? problem)
    {
        // Each step is skipped when the character its pattern requires is absent, which cannot change the result.
        if (range.Contains('+', StringComparison.Ordinal))
        {
            range = RangeGrammar.BuildStrip().Replace(range, "");
        }

        if (range.Contains('-', StringComparison.Ordinal))
        {
            range = RangeGrammar.HyphenRange().Replace(range, ReplaceHyphen, 1);
        }

        range = RangeGrammar.ComparatorTrim().Replace(range, "$1$2$3");
        if (range.Contains('~', StringComparison.Ordinal))
        {
            range = RangeGrammar.TildeTrim().Replace(range, "$1~");
        }

        if (range.Contains('^', StringComparison.Ordinal))
        {
            range = RangeGrammar.CaretTrim().Replace(range, "$1^");
        }

        var desugared = string.Join(' ', range.Split(' ').Select(DesugarComparator));
        var tokens = RangeGrammar.WhiteSpaceRun().Split(desugared)
            .Select(token => token.Contains(">=", StringComparison.Ordinal) ? RangeGrammar.GreaterOrEqualZero().Replace(JsText.Trim(token), "", 1) : JsText.Trim(token));

        problem = null;
        var parsed = new List<Comparator>();
        foreach (var token in tokens)
        {
            var comparator = ParseComparator(token, out problem);
            if (comparator is null)
            {
                return null;
            }

            parsed.Add(comparator);
        }

        var comparators = new List<Comparator>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var comparator in parsed)
        {
            if (IsNullSet(comparator))
            {
                return [comparator];
            }

            // node-semver keeps one comparator per distinct text, at the position of its first occurrence.
            if (seen.Add(comparator.ToString()))
            {
                comparators.Add(comparator);
            }
        }

        if (comparators.Count > 1)
        {
            comparators.RemoveAll(c => c.IsAny);
        }

        problem = null;
        return comparators;
    }

    private static string DesugarComparator(string comp)
    {
        // As in ParseSet, a step whose pattern needs a character that is absent is skipped.
        if (comp.Contains('+', StringComparison.Ordinal))
        {
            comp = RangeGrammar.BuildOnce().Replace(comp, "", 1);
        }

        if (comp.Contains('^', StringComparison.Ordinal))
        {
            comp = string.Join(' ', SplitWhiteSpace(JsText.Trim(comp)).Select(c => RangeGrammar.Caret().Replace(c, ReplaceCaret, 1)));
        }
        else
        {
            comp = JsText.Trim(comp);
        }

        if (comp.Contains('~', StringComparison.Ordinal))
        {
            comp = string.Join(' ', SplitWhiteSpace(JsText.Trim(comp)).Select(c => RangeGrammar.Tilde().Replace(c, ReplaceTilde, 1)));
        }

        comp = string.Join(' ', SplitWhiteSpace(comp).Select(ReplaceXRange));
        comp = JsText.Trim(comp);
        return comp.Contains('*', StringComparison.Ordinal) ? RangeGrammar.Star().Replace(comp, "", 1) : comp;
    }

    private static string[] SplitWhiteSpace(string text) => RangeGrammar.WhiteSpaceRun().Split(text);

    private static bool IsX(Group group) => !group.Success || group.Value.Length == 0 || group.Value is "x" or "X" or "*";

    private static string? Pre(Group group) => group.Success && group.Value.Length > 0 ? group.Value : null;

    private static string ReplaceCaret(Match match)
    {
        var (major, minor, patch) = (match.Groups[1], match.Groups[2], match.Groups[3]);
        var pre = Pre(match.Groups[4]);
        var (bigM, m, p) = (major.Value, minor.Value, patch.Value);
        if (IsX(major))
        {
            return "";
        }

        if (IsX(minor))
        {
            return $">={bigM}.0.0 <{Increment(bigM)}.0.0-0";
        }

        if (IsX(patch))
        {
            return bigM == "0"
                ? $">={bigM}.{m}.0 <{bigM}.{Increment(m)}.0-0"
                : $">={bigM}.{m}.0 <{Increment(bigM)}.0.0-0";
        }

        var from = pre is null ? $">={bigM}.{m}.{p}" : $">={bigM}.{m}.{p}-{pre}";
        if (bigM != "0")
        {
            return $"{from} <{Increment(bigM)}.0.0-0";
        }

        return m == "0" ? $"{from} <{bigM}.{m}.{Increment(p)}-0" : $"{from} <{bigM}.{Increment(m)}.0-0";
    }

    private static string ReplaceTilde(Match match)
    {
        var (major, minor, patch) = (match.Groups[1], match.Groups[2], match.Groups[3]);
        var pre = Pre(match.Groups[4]);
        var (bigM, m, p) = (major.Value, minor.Value, patch.Value);
        if (IsX(major))
        {
            return "";
        }

        if (IsX(minor))
        {
            return $">={bigM}.0.0 <{Increment(bigM)}.0.0-0";
        }

        if (IsX(patch))
        {
            return $">={bigM}.{m}.0 <{bigM}.{Increment(m)}.0-0";
        }

        return pre is null
            ? $">={bigM}.{m}.{p} <{bigM}.{Increment(m)}.0-0"
            : $">={bigM}.{m}.{p}-{pre} <{bigM}.{Increment(m)}.0-0";
    }

    private static string ReplaceXRange(string comp)
    {
        comp = JsText.Trim(comp);
        return RangeGrammar.XRange().Replace(comp, match => XRange(comp, match), 1);
    }

    private static string XRange(string comp, Match match)
    {
        var gtlt = match.Groups[1].Value;
        var (major, minor, patch) = (match.Groups[2], match.Groups[3], match.Groups[4]);
        var invalidOrder = (IsX(major) && !IsX(minor)) || (IsX(minor) && patch.Success && patch.Value.Length > 0 && !IsX(patch));
        if (invalidOrder)
        {
            return comp;
        }

        var xMajor = IsX(major);
        var xMinor = xMajor || IsX(minor);
        var xPatch = xMinor || IsX(patch);
        var anyX = xPatch;
        if (gtlt == "=" && anyX)
        {
            gtlt = "";
        }

        var (bigM, m, p) = (major.Value, minor.Value, patch.Value);
        if (xMajor)
        {
            return gtlt is ">" or "<" ? NullSetValue : "*";
        }

        if (gtlt.Length > 0 && anyX)
        {
            if (xMinor)
            {
                m = "0";
            }

            p = "0";
            if (gtlt == ">")
            {
                gtlt = ">=";
                if (xMinor)
                {
                    bigM = Increment(bigM);
                    m = "0";
                }
                else
                {
                    m = Increment(m);
                }
            }
            else if (gtlt == "<=")
            {
                gtlt = "<";
                if (xMinor)
                {
                    bigM = Increment(bigM);
                }
                else
                {
                    m = Increment(m);
                }
            }

            var pre = gtlt == "<" ? "-0" : "";
            return $"{gtlt}{bigM}.{m}.{p}{pre}";
        }

        if (xMinor)
        {
            return $">={bigM}.0.0 <{Increment(bigM)}.0.0-0";
        }

        if (xPatch)
        {
            return $">={bigM}.{m}.0 <{bigM}.{Increment(m)}.0-0";
        }

        return match.Value;
    }

    private static string ReplaceHyphen(Match match)
    {
        var g = match.Groups;
        var from = g[1].Value;
        string fromText;
        if (IsX(g[2]))
        {
            fromText = "";
        }
        else if (IsX(g[3]))
        {
            fromText = $">={g[2].Value}.0.0";
        }
        else if (IsX(g[4]))
        {
            fromText = $">={g[2].Value}.{g[3].Value}.0";
        }
        else
        {
            fromText = $">={from}";
        }

        var to = g[7].Value;
        string toText;
        if (IsX(g[8]))
        {
            toText = "";
        }
        else if (IsX(g[9]))
        {
            toText = $"<{Increment(g[8].Value)}.0.0-0";
        }
        else if (IsX(g[10]))
        {
            toText = $"<{g[8].Value}.{Increment(g[9].Value)}.0-0";
        }
        else if (Pre(g[11]) is { } toPre)
        {
            toText = $"<={g[8].Value}.{g[9].Value}.{g[10].Value}-{toPre}";
        }
        else
        {
            toText = $"<={to}";
        }

        return JsText.Trim($"{fromText} {toText}");
    }

    /// <summary>Adds one to a decimal number of any length (JavaScript's <c>+n + 1</c>, exact).</summary>
    private static string Increment(string digits)
    {
        var chars = digits.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] != '9')
            {
                chars[i]++;
                return new string(chars);
            }

            chars[i] = '0';
        }

        return "1" + new string(chars);
    }

    private static Comparator? ParseComparator(string token, out string? problem)
    {
        problem = null;
        var comp = string.Join(' ', SplitWhiteSpace(JsText.Trim(token)));
        var match = RangeGrammar.Comparator().Match(comp);
        if (!match.Success)
        {
            problem = DescribeBadComparator(comp);
            return null;
        }

        var op = match.Groups[1].Value switch
        {
            ">" => ComparatorOperator.Greater,
            ">=" => ComparatorOperator.GreaterOrEqual,
            "<" => ComparatorOperator.Less,
            "<=" => ComparatorOperator.LessOrEqual,
            _ => ComparatorOperator.Equal,
        };
        if (!match.Groups[2].Success || match.Groups[2].Value.Length == 0)
        {
            return Comparator.Any;
        }

        if (!SemanticVersion.TryParse(match.Groups[2].Value, out var version, out var versionError))
        {
            problem = $"{versionError[..^1].Replace("Invalid version", "version", StringComparison.Ordinal)}.";
            return null;
        }

        return new Comparator(op, version);
    }

    private static string DescribeBadComparator(string comp)
    {
        var builder = new StringBuilder();
        builder.Append(JsText.Quote(comp)).Append(" is not a valid comparator");
        var versionText = comp.TrimStart('<', '>', '=', '~', '^', ' ');
        if (versionText.Length > 0 && (char.IsAsciiDigit(versionText[0]) || versionText[0] == 'v')
            && versionText.Count(c => c == '.') >= 2 && !SemanticVersion.TryParse(versionText, out _, out var reason))
        {
            builder.Append(" (").Append(reason.Replace("Invalid version ", "version ", StringComparison.Ordinal).TrimEnd('.')).Append(')');
        }

        builder.Append("; expected an optional operator (<, <=, >, >=, =, ~, ^) followed by a version such as 1.2.3, 1.2 or 1.x, comparators separated by spaces and alternatives by ||.");
        return builder.ToString();
    }
}
