namespace Synapse.Versioning.Internal;

/// <summary>
/// A single-pass parser for the common range forms, giving exactly node-semver's comparator sets. It only accepts
/// text whose every step through node-semver's rewriting it can reproduce: comparators of digits, <c>x</c>,
/// <c>X</c> and <c>*</c> with an optional operator, prerelease tags after a full version, hyphen ranges, ASCII
/// spaces and <c>||</c>. For anything else it returns null and the caller falls back to
/// <see cref="RegexRangeParser"/>; it never reports errors itself.
/// </summary>
internal static class RangeScanner
{
    // Numbers up to 15 digits stay below 2^53-1 even after adding one, so no version can be refused later.
    private const int MaxDigits = 15;

    // Keeps every produced version text well under SemanticVersion.MaxLength and every identifier under the
    // 250-character bound of node-semver's prerelease pattern.
    private const int MaxPrereleaseLength = 200;

    private const long X = -1;

    private enum Operator
    {
        None,
        Equal,
        Greater,
        GreaterOrEqual,
        Less,
        LessOrEqual,
        Tilde,
        Caret,
    }

    private readonly struct Partial(long major, long minor, long patch, string[]? prerelease)
    {
        public long Major { get; } = major;
        public long Minor { get; } = minor;
        public long Patch { get; } = patch;
        public string[]? Prerelease { get; } = prerelease;
    }

    /// <summary>The comparator sets of <paramref name="text"/>, or null when the text needs the reference parser.</summary>
    public static List<List<Comparator>>? TryParse(string text)
    {
        if (text.Length > RangeParser.MaxLength)
        {
            return null;
        }

        var span = text.AsSpan();
        var sets = new List<List<Comparator>>(1);
        var start = 0;
        while (true)
        {
            var bar = span[start..].IndexOf('|');
            var end = bar < 0 ? span.Length : start + bar;
            if (bar >= 0 && (end + 1 >= span.Length || span[end + 1] != '|'))
            {
                return null;
            }

            var set = ParseSet(span[start..end]);
            if (set is null)
            {
                return null;
            }

            sets.Add(set);
            if (bar < 0)
            {
                break;
            }

            start = end + 2;
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

        return sets;
    }

    private static List<Comparator>? ParseSet(ReadOnlySpan<char> set)
    {
        var comparators = new List<Comparator>(2);
        var position = 0;
        if (IsHyphenRange(set))
        {
            NextToken(set, ref position, out var fromText);
            NextToken(set, ref position, out _);
            NextToken(set, ref position, out var toText);
            if (!TryParsePartial(fromText, out var from) || !TryParsePartial(toText, out var to))
            {
                return null;
            }

            AddHyphen(from, to, comparators);
            return Finish(comparators);
        }

        while (NextToken(set, ref position, out var token))
        {
            var op = ReadOperator(token, out var length);
            var versionText = token[length..];
            if (versionText.IsEmpty)
            {
                // node-semver joins an operator to the version after it ("> 1.2.3", "~ 1.2", "^ 1").
                if (op == Operator.None || !NextToken(set, ref position, out versionText))
                {
                    return null;
                }
            }

            if (!TryParsePartial(versionText, out var partial))
            {
                return null;
            }

            switch (op)
            {
                case Operator.Caret:
                    AddCaret(partial, comparators);
                    break;
                case Operator.Tilde:
                    AddTilde(partial, comparators);
                    break;
                default:
                    AddXRange(op, partial, comparators);
                    break;
            }
        }

        return Finish(comparators);
    }

    /// <summary>node-semver's per-set clean-up: a null comparator wins, duplicates go, "any" goes when others remain.</summary>
    private static List<Comparator> Finish(List<Comparator> comparators)
    {
        foreach (var comparator in comparators)
        {
            if (IsNullSet(comparator))
            {
                return [comparator];
            }
        }

        for (var i = comparators.Count - 1; i > 0; i--)
        {
            for (var j = 0; j < i; j++)
            {
                if (comparators[i] == comparators[j])
                {
                    comparators.RemoveAt(i);
                    break;
                }
            }
        }

        if (comparators.Count == 0)
        {
            comparators.Add(Comparator.Any);
        }

        return comparators;
    }

    private static bool IsNullSet(Comparator comparator) =>
        comparator is { Operator: ComparatorOperator.Less, Version: { Major: 0, Minor: 0, Patch: 0, Prerelease: [ "0" ] } };

    /// <summary>Exactly three space-separated tokens, the middle one a lone hyphen (node-semver's anchored HYPHENRANGE).</summary>
    private static bool IsHyphenRange(ReadOnlySpan<char> set)
    {
        var position = 0;
        return NextToken(set, ref position, out _)
            && NextToken(set, ref position, out var middle) && middle is "-"
            && NextToken(set, ref position, out _)
            && !NextToken(set, ref position, out _);
    }

    private static bool NextToken(ReadOnlySpan<char> text, ref int position, out ReadOnlySpan<char> token)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }

        var start = position;
        while (position < text.Length && text[position] != ' ')
        {
            position++;
        }

        token = text[start..position];
        return !token.IsEmpty;
    }

    private static Operator ReadOperator(ReadOnlySpan<char> token, out int length)
    {
        length = 0;
        if (token.IsEmpty)
        {
            return Operator.None;
        }

        var second = token.Length > 1 ? token[1] : '\0';
        switch (token[0])
        {
            case '^':
                length = 1;
                return Operator.Caret;
            case '~':
                length = second == '>' ? 2 : 1;
                return Operator.Tilde;
            case '=':
                length = 1;
                return Operator.Equal;
            case '>':
                length = second == '=' ? 2 : 1;
                return second == '=' ? Operator.GreaterOrEqual : Operator.Greater;
            case '<':
                length = second == '=' ? 2 : 1;
                return second == '=' ? Operator.LessOrEqual : Operator.Less;
            default:
                return Operator.None;
        }
    }

    /// <summary>
    /// MAJOR[.MINOR[.PATCH[-PRERELEASE]]] where each number may be x, X or *, without leading zeros, with no
    /// number after a wildcard and a prerelease only after three numbers.
    /// </summary>
    private static bool TryParsePartial(ReadOnlySpan<char> text, out Partial partial)
    {
        partial = default;
        var position = 0;
        Span<long> parts = [X, X, X];
        for (var i = 0; i < 3; i++)
        {
            if (!TryReadPart(text, ref position, out parts[i]))
            {
                return false;
            }

            if (i > 0 && parts[i - 1] == X && parts[i] != X)
            {
                return false;
            }

            if (position == text.Length)
            {
                partial = new Partial(parts[0], parts[1], parts[2], null);
                return true;
            }

            if (text[position] != '.' || i == 2)
            {
                break;
            }

            position++;
        }

        if (position >= text.Length || text[position] != '-' || parts[0] == X || parts[1] == X || parts[2] == X)
        {
            return false;
        }

        var prerelease = ParsePrerelease(text[(position + 1)..]);
        if (prerelease is null)
        {
            return false;
        }

        partial = new Partial(parts[0], parts[1], parts[2], prerelease);
        return true;
    }

    private static bool TryReadPart(ReadOnlySpan<char> text, ref int position, out long value)
    {
        value = X;
        if (position >= text.Length)
        {
            return false;
        }

        if (text[position] is 'x' or 'X' or '*')
        {
            position++;
            return true;
        }

        var start = position;
        long number = 0;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            number = (number * 10) + (text[position] - '0');
            position++;
            if (position - start > MaxDigits)
            {
                return false;
            }
        }

        var digits = position - start;
        if (digits == 0 || (digits > 1 && text[start] == '0'))
        {
            return false;
        }

        value = number;
        return true;
    }

    private static string[]? ParsePrerelease(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > MaxPrereleaseLength)
        {
            return null;
        }

        var count = text.Count('.') + 1;
        var identifiers = new string[count];
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
                if (char.IsAsciiDigit(c))
                {
                    continue;
                }

                if (!char.IsAsciiLetter(c) && c != '-')
                {
                    return null;
                }

                numeric = false;
            }

            if (numeric && id.Length > 1 && id[0] == '0')
            {
                return null;
            }

            identifiers[index++] = id.ToString();
        }

        return identifiers;
    }

    private static void AddCaret(Partial v, List<Comparator> comparators)
    {
        if (v.Major == X)
        {
            return;
        }

        if (v.Minor == X)
        {
            AddLower(v.Major, 0, 0, null, comparators);
            AddUpper(v.Major + 1, 0, 0, comparators);
        }
        else if (v.Patch == X)
        {
            AddLower(v.Major, v.Minor, 0, null, comparators);
            if (v.Major == 0)
            {
                AddUpper(v.Major, v.Minor + 1, 0, comparators);
            }
            else
            {
                AddUpper(v.Major + 1, 0, 0, comparators);
            }
        }
        else
        {
            AddLower(v.Major, v.Minor, v.Patch, v.Prerelease, comparators);
            if (v.Major != 0)
            {
                AddUpper(v.Major + 1, 0, 0, comparators);
            }
            else if (v.Minor == 0)
            {
                AddUpper(v.Major, v.Minor, v.Patch + 1, comparators);
            }
            else
            {
                AddUpper(v.Major, v.Minor + 1, 0, comparators);
            }
        }
    }

    private static void AddTilde(Partial v, List<Comparator> comparators)
    {
        if (v.Major == X)
        {
            return;
        }

        if (v.Minor == X)
        {
            AddLower(v.Major, 0, 0, null, comparators);
            AddUpper(v.Major + 1, 0, 0, comparators);
        }
        else
        {
            AddLower(v.Major, v.Minor, v.Patch == X ? 0 : v.Patch, v.Patch == X ? null : v.Prerelease, comparators);
            AddUpper(v.Major, v.Minor + 1, 0, comparators);
        }
    }

    private static void AddXRange(Operator op, Partial v, List<Comparator> comparators)
    {
        var xMajor = v.Major == X;
        var xMinor = xMajor || v.Minor == X;
        var anyX = xMinor || v.Patch == X;
        if (op == Operator.Equal && anyX)
        {
            op = Operator.None;
        }

        if (xMajor)
        {
            if (op is Operator.Greater or Operator.Less)
            {
                comparators.Add(Comparator.None);
            }

            return;
        }

        var (major, minor) = (v.Major, v.Minor);
        if (op != Operator.None && anyX)
        {
            if (xMinor)
            {
                minor = 0;
            }

            switch (op)
            {
                case Operator.Greater when xMinor:
                    Add(ComparatorOperator.GreaterOrEqual, major + 1, 0, 0, null, comparators);
                    break;
                case Operator.Greater:
                    Add(ComparatorOperator.GreaterOrEqual, major, minor + 1, 0, null, comparators);
                    break;
                case Operator.LessOrEqual when xMinor:
                    AddUpper(major + 1, 0, 0, comparators);
                    break;
                case Operator.LessOrEqual:
                    AddUpper(major, minor + 1, 0, comparators);
                    break;
                case Operator.Less:
                    AddUpper(major, minor, 0, comparators);
                    break;
                default:
                    AddLower(major, minor, 0, null, comparators);
                    break;
            }

            return;
        }

        if (xMinor)
        {
            AddLower(major, 0, 0, null, comparators);
            AddUpper(major + 1, 0, 0, comparators);
        }
        else if (anyX)
        {
            AddLower(major, minor, 0, null, comparators);
            AddUpper(major, minor + 1, 0, comparators);
        }
        else
        {
            var comparatorOperator = op switch
            {
                Operator.Greater => ComparatorOperator.Greater,
                Operator.GreaterOrEqual => ComparatorOperator.GreaterOrEqual,
                Operator.Less => ComparatorOperator.Less,
                Operator.LessOrEqual => ComparatorOperator.LessOrEqual,
                _ => ComparatorOperator.Equal,
            };
            Add(comparatorOperator, major, minor, v.Patch, v.Prerelease, comparators);
        }
    }

    private static void AddHyphen(Partial from, Partial to, List<Comparator> comparators)
    {
        if (from.Major != X)
        {
            if (from.Minor == X)
            {
                AddLower(from.Major, 0, 0, null, comparators);
            }
            else if (from.Patch == X)
            {
                AddLower(from.Major, from.Minor, 0, null, comparators);
            }
            else
            {
                AddLower(from.Major, from.Minor, from.Patch, from.Prerelease, comparators);
            }
        }

        if (to.Major == X)
        {
            return;
        }

        if (to.Minor == X)
        {
            AddUpper(to.Major + 1, 0, 0, comparators);
        }
        else if (to.Patch == X)
        {
            AddUpper(to.Major, to.Minor + 1, 0, comparators);
        }
        else
        {
            Add(ComparatorOperator.LessOrEqual, to.Major, to.Minor, to.Patch, to.Prerelease, comparators);
        }
    }

    /// <summary><c>&gt;=M.m.p[-pre]</c>; node-semver drops <c>&gt;=0.0.0</c> as it matches everything.</summary>
    private static void AddLower(long major, long minor, long patch, string[]? prerelease, List<Comparator> comparators) =>
        Add(ComparatorOperator.GreaterOrEqual, major, minor, patch, prerelease, comparators);

    /// <summary><c>&lt;M.m.p-0</c>, the exclusive upper bound that also keeps out prereleases of M.m.p.</summary>
    private static void AddUpper(long major, long minor, long patch, List<Comparator> comparators) =>
        Add(ComparatorOperator.Less, major, minor, patch, ["0"], comparators);

    private static void Add(ComparatorOperator op, long major, long minor, long patch, string[]? prerelease, List<Comparator> comparators)
    {
        if (op == ComparatorOperator.GreaterOrEqual && major == 0 && minor == 0 && patch == 0 && prerelease is null)
        {
            return;
        }

        comparators.Add(new Comparator(op, SemanticVersion.FromValidParts(major, minor, patch, prerelease)));
    }
}
