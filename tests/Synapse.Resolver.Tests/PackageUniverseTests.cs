using Synapse.Resolver.Solving;
using Synapse.Versioning;

namespace Synapse.Resolver.Tests;

public sealed class PackageUniverseTests
{
    private static readonly string[] Ranges =
    [
        "*", "^1.0.0", "~1.2", "1.x", ">=1.1.0 <2.0.0", ">1.2.0", "<=1.2.0", "1.2.0", "=2.0.0-rc.1", "^2.0.0-rc.1",
        ">=1.2.0-beta.1", "1.0.0 - 1.2.0", "^1.0.0 || ^3.0.0", "<1.0.0", ">=9.0.0", "^0.1.0", "1.2.0-beta.2 || 2.x",
        ">1.0.0 <1.0.1", "~2.0.0-alpha",
    ];

    public static TheoryData<bool> WithAndWithoutPrereleases() => new() { true, false };

    [Theory]
    [MemberData(nameof(WithAndWithoutPrereleases))]
    public void Range_sets_admit_exactly_the_versions_that_satisfy_the_range(bool prereleases)
    {
        var texts = new[] { "0.1.0", "0.1.5", "1.0.0", "1.1.0", "1.2.0-beta.1", "1.2.0-beta.2", "1.2.0", "1.2.5", "2.0.0-alpha", "2.0.0-rc.1", "2.0.0", "3.1.0" };
        var versions = texts.Where(t => prereleases || !t.Contains('-', StringComparison.Ordinal))
            .Reverse() // the source's order does not matter
            .Select(t => PackageVersionInfo.Parse(t)).ToList();
        var universe = new PackageUniverse("lib", versions, locked: null);

        foreach (var text in Ranges)
        {
            var range = VersionRange.Parse(text);
            var set = universe.SetFor(Requirement.Parse("lib", text));
            var expected = Enumerable.Range(0, universe.Count).Where(i => range.IsSatisfiedBy(universe.Versions[i].Version)).ToList();
            if (expected.Count == 0) expected.Add(universe.Count);

            Assert.True(expected.SequenceEqual(Enumerable.Range(0, universe.Size).Where(set.Contains)), $"range {text}");
            Assert.Equal(text, set.Label);
        }
    }

    [Fact]
    public void Yanked_versions_are_dropped_unless_locked_and_duplicates_keep_the_first()
    {
        var versions = new List<PackageVersionInfo>
        {
            PackageVersionInfo.Parse("1.0.0+first"),
            PackageVersionInfo.Parse("1.0.0+second"),
            PackageVersionInfo.Parse("1.1.0", isYanked: true),
            PackageVersionInfo.Parse("1.2.0", isYanked: true),
        };

        var universe = new PackageUniverse("lib", versions, SemanticVersion.Parse("1.2.0"));

        Assert.Equal(["1.0.0+first", "1.2.0"], universe.Versions.Select(v => v.Version.ToString()));
        Assert.Equal(1, universe.LockedIndex);
        Assert.True(universe.Exists);
        Assert.False(new PackageUniverse("ghost", [], null).Exists);
    }
}
