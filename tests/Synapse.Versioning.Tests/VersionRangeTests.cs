using Synapse.Versioning;

namespace Synapse.Versioning.Tests;

public class VersionRangeTests
{
    [Theory]
    [InlineData("1.2.3 >=", "\">=\" is not a valid comparator")]
    [InlineData(">=1.2.3 blerg", "\"blerg\" is not a valid comparator")]
    [InlineData("1.2.03", "leading zero in patch component \"03\"")]
    [InlineData("^1.2.3-01", "leading zero in numeric prerelease identifier \"01\"")]
    [InlineData(">=1.2.3,<2.0.0", "\">=1.2.3,<2.0.0\" is not a valid comparator")]
    [InlineData(">=1.0.0 <9007199254740992.0.0", "major component \"9007199254740992\" is larger than the maximum 9007199254740991")]
    [InlineData("^9007199254740991.0.0", "is larger than the maximum 9007199254740991")]
    public void Error_messages_name_the_bad_part(string input, string expectedFragment)
    {
        var exception = Assert.Throws<FormatException>(() => VersionRange.Parse(input));
        Assert.StartsWith($"Invalid range \"{input}\": ", exception.Message);
        Assert.Contains(expectedFragment, exception.Message);
    }

    [Fact]
    public void Bad_comparator_messages_say_what_is_expected()
    {
        Assert.False(VersionRange.TryParse("~> blah", out _, out var error));
        Assert.Contains("expected an optional operator (<, <=, >, >=, =, ~, ^) followed by a version such as 1.2.3, 1.2 or 1.x", error);
    }

    [Fact]
    public void Null_and_overlong_input_are_rejected()
    {
        Assert.False(VersionRange.TryParse(null, out var range, out var error));
        Assert.Null(range);
        Assert.Contains("null", error);
        Assert.Throws<ArgumentNullException>(() => VersionRange.Parse(null!));

        var huge = string.Join(" || ", Enumerable.Repeat("^1.2.3", 300));
        Assert.False(VersionRange.TryParse(huge, out _, out error));
        Assert.Contains("longer than 1024 characters", error);
        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public void Hostile_input_fails_fast_with_an_error()
    {
        // node-semver accepts any run of "=" and "v" before a partial version, and so do we.
        Assert.Equal(">=1.0.0 <2.0.0-0", VersionRange.Parse(new string('=', 1000) + "1").ToString());

        string[] hostile = [new string('v', 1000), "1." + new string('1', 1000), string.Concat(Enumerable.Repeat("1.2.3-a.", 120)), "\0\u0001^1"];
        foreach (var text in hostile)
        {
            Assert.False(VersionRange.TryParse(text, out _, out var error));
            Assert.StartsWith("Invalid range", error);
            Assert.DoesNotContain("\0", error);
        }
    }

    [Fact]
    public void Comparator_sets_expose_the_desugared_primitives()
    {
        var caret = VersionRange.Parse("^1.2.3 || 2.x").ComparatorSets;
        Assert.Equal(2, caret.Count);
        Assert.Equal(
            [new Comparator(ComparatorOperator.GreaterOrEqual, SemanticVersion.Parse("1.2.3")), new Comparator(ComparatorOperator.Less, SemanticVersion.Parse("2.0.0-0"))],
            caret[0]);
        Assert.Equal(ComparatorOperator.Less, caret[1][1].Operator);
        Assert.Equal("3.0.0-0", caret[1][1].Version!.ToString());

        var exact = Assert.Single(Assert.Single(VersionRange.Parse("=1.2.3").ComparatorSets));
        Assert.Equal(ComparatorOperator.Equal, exact.Operator);
        Assert.Equal("1.2.3", exact.ToString());

        foreach (var any in new[] { "*", "", "x", ">=0.0.0", "* || 1.2.3" })
        {
            var comparator = Assert.Single(Assert.Single(VersionRange.Parse(any).ComparatorSets));
            Assert.True(comparator.IsAny, any);
            Assert.Equal("", comparator.ToString());
        }
    }

    [Fact]
    public void Comparator_checks_plain_precedence_only()
    {
        var comparator = new Comparator(ComparatorOperator.Less, SemanticVersion.Parse("2.0.0"));
        Assert.True(comparator.IsSatisfiedBy(SemanticVersion.Parse("2.0.0-beta")));
        Assert.False(comparator.IsSatisfiedBy(SemanticVersion.Parse("2.0.0")));
        Assert.True(Comparator.Any.IsSatisfiedBy(SemanticVersion.Parse("0.0.0-0")));
        Assert.False(Comparator.None.IsSatisfiedBy(SemanticVersion.Parse("0.0.0-0")));
        Assert.Equal("<0.0.0-0", Comparator.None.ToString());
        Assert.Equal(">1.2.3", new Comparator(ComparatorOperator.Greater, SemanticVersion.Parse("1.2.3+b")).ToString());
        Assert.Equal("<=1.2.3-rc.1", new Comparator(ComparatorOperator.LessOrEqual, SemanticVersion.Parse("1.2.3-rc.1")).ToString());
    }

    [Theory]
    [InlineData("<0.0.0-0", true)]
    [InlineData(">=2.0.0 <1.0.0", true)]
    [InlineData(">1.2.3 <1.2.3", true)]
    [InlineData(">=1.2.3 <1.2.3", true)]
    [InlineData(">1.2.3 <=1.2.3", true)]
    [InlineData(">=1.2.3 <=1.2.3", false)]
    [InlineData(">1.2.3-alpha <1.2.3", false)]
    [InlineData(">1.2.3-alpha <1.2.3-alpha.0", true)]
    [InlineData(">1.2.3-alpha <1.2.3-beta", false)]
    [InlineData(">=1.2.3-alpha <1.2.3-alpha.0", false)]
    [InlineData(">1.2.3 <1.2.4-0", true)]
    [InlineData(">1.2.3 <1.2.4-beta", false)]
    [InlineData("<0.0.0-0 || >=2.0.0 <1.0.0", true)]
    [InlineData("<0.0.0-0 || 1.2.3", false)]
    [InlineData("*", false)]
    [InlineData("^1.2.3", false)]
    [InlineData("=1.2.3-beta", false)]
    public void IsEmpty_detects_ranges_nothing_satisfies(string range, bool empty)
    {
        var parsed = VersionRange.Parse(range);
        Assert.Equal(empty, parsed.IsEmpty);
        if (empty)
        {
            Assert.DoesNotContain(IntersectionTests.Grid, parsed.IsSatisfiedBy);
        }
    }

    [Fact]
    public void Max_and_min_satisfying_pick_from_a_list()
    {
        var versions = new[] { "1.2.3", "1.2.4", "1.3.0-beta", "1.9.9", "2.0.0", "0.9.0" }.Select(SemanticVersion.Parse).ToList();
        var range = VersionRange.Parse("^1.2.3");
        Assert.Equal("1.9.9", range.MaxSatisfying(versions)!.ToString());
        Assert.Equal("1.2.3", range.MinSatisfying(versions)!.ToString());
        Assert.Null(VersionRange.Parse(">=3").MaxSatisfying(versions));
        Assert.Null(VersionRange.Parse(">=3").MinSatisfying(versions));
        Assert.Equal("1.3.0-beta", VersionRange.Parse("~1.3.0-alpha").MaxSatisfying(versions)!.ToString());
    }

    [Fact]
    public void Any_and_None_behave_as_their_node_semver_spellings()
    {
        Assert.Equal("", VersionRange.Any.ToString());
        Assert.Equal("<0.0.0-0", VersionRange.None.ToString());
        Assert.True(VersionRange.None.IsEmpty);
        Assert.False(VersionRange.Any.IsEmpty);
        Assert.True(VersionRange.Any.IsSatisfiedBy(SemanticVersion.Parse("123.4.5")));
        Assert.False(VersionRange.Any.IsSatisfiedBy(SemanticVersion.Parse("1.0.0-rc.1")));
        Assert.False(VersionRange.None.IsSatisfiedBy(SemanticVersion.Parse("0.0.0")));
    }

    [Fact]
    public void Parse_and_TryParse_agree()
    {
        Assert.True(VersionRange.TryParse("~1.2", out var range));
        Assert.Equal(VersionRange.Parse("~1.2").ToString(), range.ToString());
        Assert.Equal(">=1.2.0 <1.3.0-0", range.ToString());
        Assert.False(VersionRange.TryParse("~1.2 blerg", out range));
        Assert.Null(range);
    }

    [Fact]
    public void SetIsSatisfiedBy_applies_the_prerelease_rule_per_set()
    {
        var sets = VersionRange.Parse(">=1.2.3-beta <2.0.0 || >=1.0.0").ComparatorSets;
        var prerelease = SemanticVersion.Parse("1.2.3-rc.1");
        Assert.True(VersionRange.SetIsSatisfiedBy(sets[0], prerelease));
        Assert.False(VersionRange.SetIsSatisfiedBy(sets[1], prerelease));
        Assert.False(VersionRange.SetIsSatisfiedBy(sets[0], SemanticVersion.Parse("1.2.4-rc.1")));
        Assert.True(VersionRange.SetIsSatisfiedBy(sets[1], SemanticVersion.Parse("1.2.4")));
    }

    [Fact]
    public void Comparator_sets_cannot_be_modified_by_callers()
    {
        var range = VersionRange.Parse("^1.2.3");
        Assert.False(range.ComparatorSets is IList<IReadOnlyList<Comparator>> { IsReadOnly: false });
        Assert.False(range.ComparatorSets[0] is IList<Comparator> { IsReadOnly: false });
        Assert.Throws<NotSupportedException>(() => ((IList<Comparator>)range.ComparatorSets[0])[0] = Comparator.Any);
    }

    [Fact]
    public void Parsing_the_same_text_again_reuses_the_immutable_range()
    {
        var first = VersionRange.Parse("^4.5.6 || ~7.8");
        Assert.Same(first, VersionRange.Parse("^4.5.6 || ~7.8"));
        Assert.NotSame(first, VersionRange.Parse("^4.5.6 ||  ~7.8"));
        Assert.Equal(first.ToString(), VersionRange.Parse("^4.5.6 ||  ~7.8").ToString());
    }
}
