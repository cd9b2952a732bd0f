using Synapse.Versioning;

namespace Synapse.Versioning.Tests;

public class IntersectionTests
{
    /// <summary>Releases and prereleases around every boundary the ranges below mention.</summary>
    public static readonly IReadOnlyList<SemanticVersion> Grid = BuildGrid();

    private static readonly string[] Ranges =
    [
        "*", "", "<0.0.0-0", "1.2.3", "=1.2.3-beta", "^1.2.3", "^1.2.3-beta", "^1.2.3-beta.4", "~1.2.3-alpha", ">=1.2.3-alpha",
        ">1.2.3-beta", "<1.2.3-beta", "<=1.2.3-beta", ">=1.0.0", "<2.0.0", "<2.0.0-0", "<=2.0.0-rc.1", ">=2.0.0-0", "^0.0.3",
        "^0.1.2", "~1.2", "1.x", "1.2.x", ">1.2", "<1.2", "<=1.2", "1.2.3 - 2.3", "1.2.3-beta - 2.0.0-rc.1", "^1.0.0 || ^2.0.0",
        ">=1.2.3 <1.3.0 || >=3.0.0-beta", "0.x || 2.x", ">1.2.3-alpha <1.2.3", ">=1.2.4-0 <1.2.4", ">=1.2.3-beta <=1.2.3-beta",
        "~3.0.0-beta.1", "^0.0.0-0", "<=0.0.0", ">3.4.4", "<0.1.0-0 || >=3.0.0", ">=1.2.3-pre <1.2.3-rc.1 || 2.0.0-beta",
    ];

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var left in Ranges)
        {
            foreach (var right in Ranges)
            {
                data.Add(left, right);
            }
        }

        return data;
    }

    private static List<SemanticVersion> BuildGrid()
    {
        var grid = new List<SemanticVersion>();
        string[][] prereleases = [[], ["0"], ["alpha"], ["alpha", "0"], ["beta"], ["beta", "0"], ["beta", "1"], ["beta", "4"], ["pre"], ["rc", "1"], ["rc", "1", "0"], ["rc", "2"]];
        for (var major = 0; major <= 4; major++)
        {
            for (var minor = 0; minor <= 4; minor++)
            {
                for (var patch = 0; patch <= 5; patch++)
                {
                    foreach (var pre in prereleases)
                    {
                        grid.Add(SemanticVersion.Create(major, minor, patch, pre));
                    }
                }
            }
        }

        return grid;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Intersection_matches_exactly_the_versions_both_match(string left, string right)
    {
        var a = VersionRange.Parse(left);
        var b = VersionRange.Parse(right);
        var both = a.Intersect(b);
        var reparsed = VersionRange.Parse(both.ToString());
        foreach (var version in Grid)
        {
            var expected = a.IsSatisfiedBy(version) && b.IsSatisfiedBy(version);
            Assert.True(expected == both.IsSatisfiedBy(version), $"{left} ∩ {right} = {both} disagrees on {version}: expected {expected}");
            Assert.Equal(expected, reparsed.IsSatisfiedBy(version));
        }

        Assert.Equal(Grid.Any(both.IsSatisfiedBy), !both.IsEmpty);
    }

    [Theory]
    [InlineData("^1.2.3", "*", ">=1.2.3 <2.0.0-0")]
    [InlineData("^1.2.3", "~1.4", ">=1.4.0 <1.5.0-0")]
    [InlineData("^1.2.3", "^2.0.0", "<0.0.0-0")]
    [InlineData("^1.2.3", "1.5.0", "1.5.0")]
    [InlineData(">=1.2.3", "<=1.2.3", "1.2.3")]
    [InlineData("^1.0.0 || ^2.0.0", "^2.1.0 || ^3.0.0", ">=2.1.0 <3.0.0-0")]
    [InlineData("^1.0.0 || ^2.0.0", ">=1.5.0 <2.5.0", ">=1.5.0 <2.0.0-0||>=2.0.0 <2.5.0")]
    [InlineData("*", "*", "")]
    [InlineData("*", "", "")]
    [InlineData("<0.0.0-0", "*", "<0.0.0-0")]
    // ^1.2.3-beta admits 1.2.3 prereleases, >=1.0.0 admits none: the intersection admits none.
    [InlineData("^1.2.3-beta", ">=1.0.0", ">=1.2.3 <2.0.0-0")]
    [InlineData("^1.2.3-beta", ">=1.2.3-alpha", ">=1.2.3-beta <2.0.0-0")]
    [InlineData("^1.2.3-beta", "*", ">=1.2.3 <2.0.0-0")]
    [InlineData("<=2.0.0-rc.1", ">=1.0.0", ">=1.0.0 <2.0.0-0")]
    [InlineData("<=2.0.0-rc.1", ">=2.0.0-beta", ">=2.0.0-beta <=2.0.0-rc.1")]
    [InlineData("=1.2.3-beta", "^1.2.3-alpha", "1.2.3-beta")]
    [InlineData("=1.2.3-beta", "^1.2.0", "<0.0.0-0")]
    [InlineData(">1.2.3-alpha <1.2.3", ">=1.0.0", "<0.0.0-0")]
    public void Intersection_is_simplified(string left, string right, string expected)
    {
        Assert.Equal(expected, VersionRange.Parse(left).Intersect(VersionRange.Parse(right)).ToString());
    }
}

public class RandomIntersectionTests
{
    private static readonly string[] Operators = ["", "=", ">", ">=", "<", "<=", "^", "~"];
    private static readonly string[] Prereleases = ["", "", "", "-0", "-alpha", "-beta", "-beta.1", "-rc.1"];

    private static string RandomRange(Random random)
    {
        string Version()
        {
            var parts = random.Next(1, 4);
            var text = string.Join('.', Enumerable.Range(0, parts).Select(_ => random.Next(0, 5) == 0 ? "x" : random.Next(0, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return parts == 3 && !text.Contains('x', StringComparison.Ordinal) ? text + Prereleases[random.Next(Prereleases.Length)] : text;
        }

        var sets = Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(0, 4) == 0
            ? $"{Version()} - {Version()}"
            : string.Join(' ', Enumerable.Range(0, random.Next(1, 3)).Select(_ => Operators[random.Next(Operators.Length)] + Version())));
        return string.Join(" || ", sets);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_intersections_match_exactly_the_versions_both_match(int seed)
    {
        var random = new Random(seed);
        var checkedPairs = 0;
        for (var i = 0; i < 300; i++)
        {
            var left = RandomRange(random);
            var right = RandomRange(random);
            if (!VersionRange.TryParse(left, out var a) || !VersionRange.TryParse(right, out var b))
            {
                continue;
            }

            checkedPairs++;
            var both = a.Intersect(b);
            foreach (var version in IntersectionTests.Grid)
            {
                var expected = a.IsSatisfiedBy(version) && b.IsSatisfiedBy(version);
                Assert.True(expected == both.IsSatisfiedBy(version), $"{left} ∩ {right} = {both} disagrees on {version}: expected {expected}");
            }

            Assert.Equal(IntersectionTests.Grid.Any(both.IsSatisfiedBy), !both.IsEmpty);
        }

        Assert.True(checkedPairs > 150, $"only {checkedPairs} random pairs parsed");
    }
}
