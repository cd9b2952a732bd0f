using System.Text;
using Synapse.Versioning.Internal;

namespace Synapse.Versioning.Tests;

/// <summary>
/// The single-pass parsers must agree exactly with the node-semver ports they replace on the common path:
/// <see cref="RangeScanner"/> with the regex pipeline <see cref="RegexRangeParser"/>, and the version fast path
/// with the general version parser, over thousands of seeded random strings, valid and invalid.
/// </summary>
public class ParserDifferentialTests
{
    private const int Cases = 20_000;

    private static readonly string[] Operators =
        ["", "", "", "", "^", "^", "^", "~", "~", "~>", ">", ">=", ">=", "<", "<", "<=", "=", "~ ", "^ ", "~> ", ">= ", "< ", "=>", "==", "!", "v", "=v", ">=v", "~=", "^~", "<>"];

    private static readonly string[] Numbers =
        ["0", "0", "1", "1", "2", "3", "9", "10", "42", "x", "X", "*", "01", "00", "999999999999999", "9999999999999999", "9007199254740991", "9007199254740992", "99999999999999999999", "a", "", "-1"];

    private static readonly string[] Prereleases =
        ["-0", "-beta", "-beta.1", "-rc.1", "-alpha-1", "-1", "-01", "-", "-a..b", "-x.y", "-0a", "-αβ", "-beta.", "-.beta", "-x", "-X.1", "-" + new string('a', 260), "-" + new string('1', 30)];

    private static readonly string[] Builds = ["+build.5", "+", "+b.1", "+a+b", "+001", "+x..y", "+ü"];

    private static readonly string[] Separators = ["||", "||", " || ", "  ||  ", " ||", "|| ", "|", "|||", "\t||\t"];

    private static readonly string[] Joiners = [" ", " ", " ", "  ", "\t", "", "\u00a0", "\n", " , "];

    private static readonly string[] Hyphens = [" - ", " - ", "  -  ", "-", " -", "- ", "\t-\t"];

    private static readonly string[] CleanOperators = ["", "", "^", "^", "~", "~>", ">", ">=", "<", "<=", "=", "~ ", "^ ", ">= ", "< "];

    private static readonly string[] CleanNumbers = ["0", "1", "2", "10", "x", "X", "*", "999999999999999"];

    private static readonly string[] CleanPrereleases = ["-0", "-beta", "-beta.1", "-rc.1", "-alpha-1", "-1", "-0a", "-x.y", "-X.1"];

    private const string Garbage = " \t\u00a0|<>=~^-.*xXv+a0é#\u2028";

    [Fact]
    public void Random_ranges_parse_exactly_as_the_reference_parser()
    {
        var random = new Random(20261124);
        var disagreements = new List<string>();
        var scanned = 0;
        var invalid = 0;
        for (var i = 0; i < Cases; i++)
        {
            var text = RandomRange(random, clean: i % 2 == 0);
            var reference = RegexRangeParser.Parse(text, out var referenceError);
            invalid += reference is null ? 1 : 0;

            var fast = RangeScanner.TryParse(text);
            if (fast is not null)
            {
                scanned++;
                if (reference is null || Describe(fast) != Describe(reference))
                {
                    disagreements.Add($"{Show(text)}: scanner {Describe(fast)}, reference {(reference is null ? referenceError : Describe(reference))}");
                }
            }

            var production = RangeParser.Parse(text, out var productionError);
            if (Describe(production) != Describe(reference) || productionError != referenceError)
            {
                disagreements.Add($"{Show(text)}: production {Describe(production)} {productionError}, reference {Describe(reference)} {referenceError}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n{string.Join('\n', disagreements.Take(30))}");

        // The generator must exercise both the scanner and the fallback, or this test proves little.
        Assert.InRange(scanned, Cases / 4, Cases);
        Assert.InRange(invalid, Cases / 10, Cases);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("||")]
    [InlineData("|| ^1")]
    [InlineData("||||")]
    [InlineData("^1.2.3")]
    [InlineData(">=1.2.3-beta.1 <2 || ~3.4 || 5.x - 6.1")]
    [InlineData(">=1.2.3-alpha <1.5.0 || ~2.4 || 3.x || 4.1.2 - 4.3.7")]
    [InlineData("^0")]
    [InlineData("^0.0")]
    [InlineData("^0.0.0")]
    [InlineData("^0.0.1-rc.1")]
    [InlineData("^0.1.2")]
    [InlineData("^x")]
    [InlineData("^x 1.2.3")]
    [InlineData("~0")]
    [InlineData("~> 1.2")]
    [InlineData("~ 1.2.3-beta")]
    [InlineData("^ 1")]
    [InlineData(">= 1.x")]
    [InlineData("= 1.2")]
    [InlineData("=1.2.3")]
    [InlineData(">=0.0.0")]
    [InlineData(">=0.0.0-0")]
    [InlineData(">=0")]
    [InlineData("<0")]
    [InlineData("<0.0.0-0")]
    [InlineData("<*")]
    [InlineData(">*")]
    [InlineData("<=*")]
    [InlineData("=*")]
    [InlineData(">1 <0 || 1.2.3")]
    [InlineData("<0 || <*")]
    [InlineData("1.2.3 1.2.3 >=1.2.3 1.2.3")]
    [InlineData("* || 1.2.3")]
    [InlineData("1.2.3 - 2")]
    [InlineData("1.2 - 2.3.4-rc.1")]
    [InlineData("* - *")]
    [InlineData("x - 1.2.3")]
    [InlineData("1.2.3-beta - x")]
    [InlineData("0.0.0 - 0")]
    [InlineData(">1.x <=2.x >3.4 <=3.4")]
    [InlineData("999999999999999.999999999999999.999999999999999 - 999999999999999")]
    public void Edge_cases_parse_exactly_as_the_reference_parser(string text)
    {
        var fast = RangeScanner.TryParse(text);
        Assert.NotNull(fast);
        var reference = RegexRangeParser.Parse(text, out var error);
        Assert.True(reference is not null, error);
        Assert.Equal(Describe(reference), Describe(fast));
    }

    [Theory]
    [InlineData("v1.2.3")]
    [InlineData(">=v0.0.0")]
    [InlineData("1.2.3+build")]
    [InlineData("1.2.3\t2.0.0")]
    [InlineData("x.1")]
    [InlineData("^1.x.3")]
    [InlineData("1.2.x-beta")]
    [InlineData("1 - 2 - 3")]
    [InlineData(">= ~1")]
    [InlineData("9999999999999999")]
    [InlineData("1 | 2")]
    public void Forms_the_scanner_does_not_reproduce_are_left_to_the_reference_parser(string text)
    {
        Assert.Null(RangeScanner.TryParse(text));
        var production = RangeParser.Parse(text, out var productionError);
        var reference = RegexRangeParser.Parse(text, out var referenceError);
        Assert.Equal(Describe(reference), Describe(production));
        Assert.Equal(referenceError, productionError);
    }

    [Fact]
    public void Random_versions_parse_exactly_as_the_general_version_parser()
    {
        var random = new Random(424242);
        var disagreements = new List<string>();
        var valid = 0;
        for (var i = 0; i < Cases; i++)
        {
            var text = RandomVersion(random);
            var parsed = SemanticVersion.TryParse(text, out var version, out var error);
            var referenceError = SemanticVersion.Validate(text, out var reference);
            valid += referenceError is null ? 1 : 0;
            if (parsed != (referenceError is null) || error != referenceError
                || version?.ToString() != reference?.ToString()
                || (version is not null && (version.Major, version.Minor, version.Patch, version.Prerelease.Count, version.Build.Count)
                    != (reference!.Major, reference.Minor, reference.Patch, reference.Prerelease.Count, reference.Build.Count)))
            {
                disagreements.Add($"{Show(text)}: {version?.ToString() ?? error} vs {reference?.ToString() ?? referenceError}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n{string.Join('\n', disagreements.Take(30))}");
        Assert.InRange(valid, Cases / 4, Cases - (Cases / 10));
    }

    /// <summary>A range from odd and invalid fragments, or (clean) only from forms that node-semver accepts.</summary>
    private static string RandomRange(Random random, bool clean)
    {
        var builder = new StringBuilder();
        if (!clean && random.Next(12) == 0)
        {
            builder.Append(Pick(random, [" ", "||", " || ", "\t", "\u3000"]));
        }

        var sets = random.Next(1, 4);
        for (var s = 0; s < sets; s++)
        {
            if (s > 0)
            {
                builder.Append(clean ? Pick(random, ["||", " || ", "  ||"]) : Pick(random, Separators));
            }

            if (random.Next(6) == 0)
            {
                builder.Append(RandomPartial(random, clean, allowPrefix: true))
                    .Append(clean ? " - " : Pick(random, Hyphens))
                    .Append(RandomPartial(random, clean, allowPrefix: true));
                continue;
            }

            var comparators = random.Next(4) == 0 ? 0 : random.Next(1, 4);
            for (var c = 0; c < comparators; c++)
            {
                if (c > 0)
                {
                    builder.Append(clean ? Pick(random, [" ", "  "]) : Pick(random, Joiners));
                }

                builder.Append(Pick(random, clean ? CleanOperators : Operators)).Append(RandomPartial(random, clean, allowPrefix: false));
            }
        }

        if (clean)
        {
            return builder.ToString();
        }

        if (random.Next(12) == 0)
        {
            builder.Append(Pick(random, [" ", "||", " ||", "\n", "-"]));
        }

        if (random.Next(8) == 0)
        {
            builder.Insert(random.Next(builder.Length + 1), Garbage[random.Next(Garbage.Length)]);
        }

        if (random.Next(400) == 0)
        {
            builder.Append(' ', 1025 - builder.Length);
        }

        return builder.ToString();
    }

    private static string RandomPartial(Random random, bool clean, bool allowPrefix)
    {
        var builder = new StringBuilder();
        if (!clean && allowPrefix && random.Next(15) == 0)
        {
            builder.Append(Pick(random, ["v", "=", "v=", ">"]));
        }

        var parts = random.Next(10) switch
        {
            0 => 1,
            1 => 2,
            2 => clean ? 3 : 4,
            _ => 3,
        };
        var wildcard = false;
        for (var p = 0; p < parts; p++)
        {
            if (p > 0)
            {
                builder.Append('.');
            }

            // Clean partials never put a number after a wildcard, which node-semver refuses.
            var part = wildcard ? "x" : random.Next(3) == 0 ? Pick(random, clean ? CleanNumbers : Numbers) : random.Next(0, 12).ToString(System.Globalization.CultureInfo.InvariantCulture);
            wildcard |= clean && part is "x" or "X" or "*";
            builder.Append(part);
        }

        if (random.Next(5) == 0 && !(clean && (wildcard || parts < 3)))
        {
            builder.Append(Pick(random, clean ? CleanPrereleases : Prereleases));
        }

        if (!clean && random.Next(15) == 0)
        {
            builder.Append(Pick(random, Builds));
        }

        return builder.ToString();
    }

    private static string RandomVersion(Random random)
    {
        var text = RandomPartial(random, clean: random.Next(2) == 0, allowPrefix: false);
        if (random.Next(10) == 0)
        {
            text = "v" + text;
        }

        if (random.Next(10) == 0)
        {
            text = Pick(random, [" ", "\t", "\u00a0", "vv", "="]) + text + Pick(random, ["", " ", "\n"]);
        }

        if (random.Next(10) == 0)
        {
            var at = random.Next(text.Length + 1);
            text = text[..at] + Garbage[random.Next(Garbage.Length)] + text[at..];
        }

        return random.Next(300) == 0 ? text + new string('1', 300) : text;
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    private static string Describe(List<List<Comparator>>? sets) =>
        sets is null
            ? "(invalid)"
            : string.Join(" || ", sets.Select(set => string.Join(", ", set.Select(c => c.IsAny ? "any" : $"{c.Operator} {c.Version}"))));

    private static readonly System.Text.Json.JsonSerializerOptions ShowOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text, ShowOptions);
}
