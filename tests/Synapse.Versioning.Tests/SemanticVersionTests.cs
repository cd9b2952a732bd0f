using Synapse.Versioning;

namespace Synapse.Versioning.Tests;

/// <summary>Fixtures in the style of node-semver's valid/invalid-versions, comparisons.js and equality.js (checked against semver 7.8.6).</summary>
public class SemanticVersionTests
{
    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData(" 1.2.3 ", "1.2.3")]
    [InlineData("\t1.2.3\n", "1.2.3")]
    [InlineData("0.0.0", "0.0.0")]
    [InlineData("1.2.3-0", "1.2.3-0")]
    [InlineData("1.2.3-alpha", "1.2.3-alpha")]
    [InlineData("1.2.3-alpha.1", "1.2.3-alpha.1")]
    [InlineData("1.2.3-alpha.beta.1", "1.2.3-alpha.beta.1")]
    [InlineData("1.2.3-0a", "1.2.3-0a")]
    [InlineData("1.2.3-00a", "1.2.3-00a")]
    [InlineData("1.2.3-a-b", "1.2.3-a-b")]
    [InlineData("1.2.3--", "1.2.3--")]
    [InlineData("1.2.3-ab-cd.-", "1.2.3-ab-cd.-")]
    [InlineData("1.2.3+build", "1.2.3+build")]
    [InlineData("1.2.3+01", "1.2.3+01")]
    [InlineData("1.2.3+build.5.x-y", "1.2.3+build.5.x-y")]
    [InlineData("1.2.3-alpha.1+build.5", "1.2.3-alpha.1+build.5")]
    [InlineData("1.2.3-rc.1+0", "1.2.3-rc.1+0")]
    [InlineData("10.20.30", "10.20.30")]
    [InlineData("1.1.2-prerelease+meta", "1.1.2-prerelease+meta")]
    [InlineData("1.1.2+meta", "1.1.2+meta")]
    [InlineData("1.1.2+meta-valid", "1.1.2+meta-valid")]
    [InlineData("1.0.0-alpha", "1.0.0-alpha")]
    [InlineData("1.0.0-beta", "1.0.0-beta")]
    [InlineData("1.0.0-alpha.beta", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-alpha.beta.1", "1.0.0-alpha.beta.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha0.valid", "1.0.0-alpha0.valid")]
    [InlineData("1.0.0-alpha.0valid", "1.0.0-alpha.0valid")]
    [InlineData("1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay")]
    [InlineData("1.0.0-rc.1+build.1", "1.0.0-rc.1+build.1")]
    [InlineData("2.0.0-rc.1+build.123", "2.0.0-rc.1+build.123")]
    [InlineData("1.2.3-beta", "1.2.3-beta")]
    [InlineData("10.2.3-DEV-SNAPSHOT", "10.2.3-DEV-SNAPSHOT")]
    [InlineData("1.2.3-SNAPSHOT-123", "1.2.3-SNAPSHOT-123")]
    [InlineData("2.0.0+build.1848", "2.0.0+build.1848")]
    [InlineData("2.0.1-alpha.1227", "2.0.1-alpha.1227")]
    [InlineData("1.0.0-alpha+beta", "1.0.0-alpha+beta")]
    [InlineData("1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788")]
    [InlineData("1.2.3----R-S.12.9.1--.12+meta", "1.2.3----R-S.12.9.1--.12+meta")]
    [InlineData("1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.2.3----RC-SNAPSHOT.12.9.1--.12")]
    [InlineData("1.0.0+0.build.1-rc.10000aaa-kk-0.1", "1.0.0+0.build.1-rc.10000aaa-kk-0.1")]
    [InlineData("9007199254740991.9007199254740991.9007199254740991", "9007199254740991.9007199254740991.9007199254740991")]
    [InlineData("1.0.0-0A.is.legal", "1.0.0-0A.is.legal")]
    [InlineData("1.2.3-9007199254740992", "1.2.3-9007199254740992")]
    [InlineData("1.2.3-99999999999999999999999", "1.2.3-99999999999999999999999")]
    [InlineData(" 1.2.3", "1.2.3")]
    public void Valid_versions_parse_to_their_canonical_form(string input, string expected)
    {
        var version = SemanticVersion.Parse(input);
        Assert.Equal(expected, version.ToString());
        Assert.True(SemanticVersion.TryParse(input, out var again));
        Assert.Equal(version, again);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3-0123")]
    [InlineData("1.2.3-0123.0123")]
    [InlineData("1.1.2+.123")]
    [InlineData("+invalid")]
    [InlineData("-invalid")]
    [InlineData("-invalid+invalid")]
    [InlineData("-invalid.01")]
    [InlineData("alpha")]
    [InlineData("alpha.beta")]
    [InlineData("alpha.beta.1")]
    [InlineData("alpha.1")]
    [InlineData("alpha+beta")]
    [InlineData("alpha_beta")]
    [InlineData("alpha.")]
    [InlineData("alpha..")]
    [InlineData("beta")]
    [InlineData("1.0.0-alpha_beta")]
    [InlineData("-alpha.")]
    [InlineData("1.0.0-alpha..")]
    [InlineData("1.0.0-alpha..1")]
    [InlineData("1.0.0-alpha...1")]
    [InlineData("1.0.0-alpha....1")]
    [InlineData("1.0.0-alpha.....1")]
    [InlineData("1.0.0-alpha......1")]
    [InlineData("1.0.0-alpha.......1")]
    [InlineData("01.1.1")]
    [InlineData("1.01.1")]
    [InlineData("1.1.01")]
    [InlineData("1.2.3.DEV")]
    [InlineData("1.2-SNAPSHOT")]
    [InlineData("1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788")]
    [InlineData("1.2-RC-SNAPSHOT")]
    [InlineData("-1.0.3-gamma+b7718")]
    [InlineData("+justmeta")]
    [InlineData("9.8.7+meta+meta")]
    [InlineData("9.8.7-whatever+meta+meta")]
    [InlineData("99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("V1.2.3")]
    [InlineData("vv1.2.3")]
    [InlineData("=1.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-a_b")]
    [InlineData("1.2.3+a_b")]
    [InlineData("1..3")]
    [InlineData("a.b.c")]
    [InlineData("1.2.x")]
    [InlineData("9007199254740992.0.0")]
    [InlineData("0.9007199254740992.0")]
    [InlineData("0.0.9007199254740992")]
    [InlineData("1.2.3-a.")]
    [InlineData("-1.2.3")]
    [InlineData("1.2.3 4")]
    [InlineData("1.2.3-é")]
    [InlineData("1.2.3\u0000")]
    [InlineData("1.11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111.1")]
    [InlineData("1.2.3-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Invalid_versions_are_rejected_with_a_message(string input)
    {
        Assert.False(SemanticVersion.TryParse(input, out var version, out var error));
        Assert.Null(version);
        Assert.StartsWith("Invalid version", error);
        var exception = Assert.Throws<FormatException>(() => SemanticVersion.Parse(input));
        Assert.Equal(error, exception.Message);
    }

    [Theory]
    [InlineData("0.0.0", "0.0.0-foo")]
    [InlineData("0.0.1", "0.0.0")]
    [InlineData("1.0.0", "0.9.9")]
    [InlineData("0.10.0", "0.9.0")]
    [InlineData("0.99.0", "0.10.0")]
    [InlineData("2.0.0", "1.2.3")]
    [InlineData("v0.0.0", "0.0.0-foo")]
    [InlineData("v0.0.1", "0.0.0")]
    [InlineData("v1.0.0", "0.9.9")]
    [InlineData("v0.10.0", "0.9.0")]
    [InlineData("v0.99.0", "0.10.0")]
    [InlineData("v2.0.0", "1.2.3")]
    [InlineData("1.2.3", "1.2.3-asdf")]
    [InlineData("1.2.3", "1.2.3-4")]
    [InlineData("1.2.3", "1.2.3-4-foo")]
    [InlineData("1.2.3-5-foo", "1.2.3-5")]
    [InlineData("1.2.3-5", "1.2.3-4")]
    [InlineData("1.2.3-5-foo", "1.2.3-5-Foo")]
    [InlineData("3.0.0", "2.7.2+asdf")]
    [InlineData("1.2.3-a.10", "1.2.3-a.5")]
    [InlineData("1.2.3-a.b", "1.2.3-a.5")]
    [InlineData("1.2.3-a.b", "1.2.3-a")]
    [InlineData("1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100")]
    [InlineData("1.2.3-r2", "1.2.3-r100")]
    [InlineData("1.2.3-r100", "1.2.3-R2")]
    [InlineData("1.0.0", "1.0.0-rc.1")]
    [InlineData("1.0.0-rc.1", "1.0.0-beta.11")]
    [InlineData("1.0.0-beta.11", "1.0.0-beta.2")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta")]
    [InlineData("1.0.0-beta", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-alpha.beta", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha")]
    [InlineData("2.1.1", "2.1.0")]
    [InlineData("2.1.0", "2.0.0")]
    [InlineData("10.0.0", "9.99.99")]
    [InlineData("1.0.0-alpha.10", "1.0.0-alpha.9")]
    [InlineData("1.0.0-1a", "1.0.0-999")]
    [InlineData("1.0.0-a", "1.0.0-Z")]
    [InlineData("9007199254740991.0.0", "9007199254740990.9007199254740991.9007199254740991")]
    [InlineData("1.0.0-alpha.0", "1.0.0-alpha")]
    [InlineData("0.0.1-0", "0.0.0")]
    [InlineData("1.0.0--", "1.0.0-9")]
    public void First_version_has_higher_precedence(string greater, string lesser)
    {
        var a = SemanticVersion.Parse(greater);
        var b = SemanticVersion.Parse(lesser);
        Assert.True(a > b);
        Assert.True(a >= b);
        Assert.False(a < b);
        Assert.False(a <= b);
        Assert.True(b < a);
        Assert.True(a != b);
        Assert.False(a.Equals(b));
        Assert.Equal(1, a.CompareTo(b));
        Assert.Equal(-1, b.CompareTo(a));
    }

    [Theory]
    [InlineData("1.2.3", "v1.2.3")]
    [InlineData("1.2.3", " 1.2.3 ")]
    [InlineData("1.2.3-beta", "v1.2.3-beta")]
    [InlineData("1.2.3+build", "1.2.3")]
    [InlineData("1.2.3-beta+build", "1.2.3-beta+otherbuild")]
    [InlineData("1.2.3+build", "1.2.3+otherbuild")]
    [InlineData("  v1.2.3+build", "1.2.3+otherbuild")]
    [InlineData("1.2.3-0", "v1.2.3-0")]
    [InlineData("0.0.0", "0.0.0+x")]
    [InlineData("1.2.3-a.1", "1.2.3-a.1+1.2")]
    public void Versions_differing_only_in_build_or_spelling_are_equal(string left, string right)
    {
        var a = SemanticVersion.Parse(left);
        var b = SemanticVersion.Parse(right);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(0, a.CompareTo(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a <= b && a >= b);
    }

    [Theory]
    [InlineData("1.2", "Invalid version \"1.2\": expected MAJOR.MINOR.PATCH, found 2 numeric parts.")]
    [InlineData("1.2.3.4", "Invalid version \"1.2.3.4\": expected MAJOR.MINOR.PATCH, found 4 numeric parts.")]
    [InlineData("1.01.3", "Invalid version \"1.01.3\": leading zero in minor component \"01\".")]
    [InlineData("1.2.3-01", "Invalid version \"1.2.3-01\": leading zero in numeric prerelease identifier \"01\".")]
    [InlineData("1..3", "Invalid version \"1..3\": minor component is empty; expected a number.")]
    [InlineData("1.2.x", "Invalid version \"1.2.x\": patch component \"x\" is not a number; expected digits 0-9.")]
    [InlineData("9007199254740992.0.0", "Invalid version \"9007199254740992.0.0\": major component \"9007199254740992\" is larger than the maximum 9007199254740991.")]
    [InlineData("1.2.3-a..b", "Invalid version \"1.2.3-a..b\": empty prerelease identifier; identifiers are separated by single dots.")]
    [InlineData("1.2.3+a_b", "Invalid version \"1.2.3+a_b\": build metadata identifier \"a_b\" contains \"_\"; only 0-9, A-Z, a-z and - are allowed.")]
    [InlineData("1.2.3-", "Invalid version \"1.2.3-\": expected prerelease identifiers after \"-\", found nothing.")]
    [InlineData("", "Invalid version \"\": expected MAJOR.MINOR.PATCH such as \"1.2.3\", found nothing.")]
    [InlineData("=1.2.3", "Invalid version \"=1.2.3\": major component \"=1\" is not a number; expected digits 0-9.")]
    [InlineData("1.2.3\n\u0001", "Invalid version \"1.2.3\\n\\u0001\": patch component \"3\\n\\u0001\" is not a number; expected digits 0-9.")]
    public void Error_messages_say_what_was_expected_where(string input, string message)
    {
        var exception = Assert.Throws<FormatException>(() => SemanticVersion.Parse(input));
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Overlong_input_is_rejected_without_echoing_it_all()
    {
        var input = "1.2.3-" + new string('a', 300);
        Assert.False(SemanticVersion.TryParse(input, out _, out var error));
        Assert.Contains("longer than 256 characters (306)", error);
        Assert.True(error.Length < 150, error);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(SemanticVersion.TryParse(null, out var version, out var error));
        Assert.Null(version);
        Assert.Contains("null", error);
        Assert.Throws<ArgumentNullException>(() => SemanticVersion.Parse(null!));
    }

    [Fact]
    public void Parts_are_exposed()
    {
        var version = SemanticVersion.Parse("v1.22.333-alpha.7+build.5");
        Assert.Equal(1, version.Major);
        Assert.Equal(22, version.Minor);
        Assert.Equal(333, version.Patch);
        Assert.Equal(["alpha", "7"], version.Prerelease);
        Assert.Equal(["build", "5"], version.Build);
        Assert.True(version.IsPrerelease);
        Assert.Equal("1.22.333-alpha.7", version.ToPrecedenceString());
        Assert.False(SemanticVersion.Parse("1.0.0+x").IsPrerelease);
    }

    [Fact]
    public void Numeric_prerelease_identifiers_compare_exactly_beyond_double_precision()
    {
        // node-semver compares these as doubles and finds them equal; SemVer §11 says numerically, so we are exact.
        var big = SemanticVersion.Parse("1.0.0-100000000000000000001");
        var smaller = SemanticVersion.Parse("1.0.0-99999999999999999999");
        Assert.True(big > smaller);
    }

    [Fact]
    public void Create_builds_a_validated_version()
    {
        var version = SemanticVersion.Create(1, 2, 3, ["rc", "1"], ["sha", "abc"]);
        Assert.Equal("1.2.3-rc.1+sha.abc", version.ToString());
        Assert.Equal(SemanticVersion.Parse("1.2.3-rc.1"), version);
        Assert.Equal("0.0.0", SemanticVersion.Create(0, 0, 0).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => SemanticVersion.Create(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SemanticVersion.Create(0, SemanticVersion.MaxNumber + 1, 0));
        Assert.Throws<ArgumentException>(() => SemanticVersion.Create(1, 0, 0, ["01"]));
        Assert.Throws<ArgumentException>(() => SemanticVersion.Create(1, 0, 0, [""]));
        Assert.Throws<ArgumentException>(() => SemanticVersion.Create(1, 0, 0, null, ["a b"]));
    }

    [Fact]
    public void Sorting_follows_semver_precedence()
    {
        string[] expected = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
        var shuffled = expected.Reverse().Select(SemanticVersion.Parse).ToList();
        shuffled.Sort();
        Assert.Equal(expected, shuffled.Select(v => v.ToString()));
    }

    [Fact]
    public void Null_sorts_first_and_equals_only_null()
    {
        var version = SemanticVersion.Parse("0.0.0-0");
        Assert.Equal(1, version.CompareTo(null));
        Assert.False(version.Equals(null));
        Assert.True(null < version);
        Assert.False(version == null);
        Assert.True((SemanticVersion?)null == null);
    }

    [Fact]
    public void Build_metadata_is_ignored_by_hash_sets()
    {
        var set = new HashSet<SemanticVersion> { SemanticVersion.Parse("1.0.0+a"), SemanticVersion.Parse("1.0.0+b"), SemanticVersion.Parse("1.0.0-a") };
        Assert.Equal(2, set.Count);
    }
}
