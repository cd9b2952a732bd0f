using Synapse.Resolver.Solving;
using Synapse.Versioning;

namespace Synapse.Resolver.Tests;

public sealed class RangeSpellingTests
{
    [Fact]
    public void Each_spelling_gets_one_term_however_many_spellings_a_package_is_required_with()
    {
        var versions = Enumerable.Range(0, 30).Select(minor => PackageVersionInfo.Parse($"1.{minor}.0")).ToList();
        var universe = new PackageUniverse("lib", versions, locked: null);
        // More spellings than are searched in order, so the later ones go through the dictionary.
        var spellings = Enumerable.Range(0, 20).Select(minor => $">=1.{minor}.0").Concat(["^1.0.0", "1.x", "*"]).ToList();

        var first = spellings.ToDictionary(s => s, s => universe.NotAllowedBy(Requirement.Parse("lib", s)));

        foreach (var spelling in spellings)
        {
            var again = universe.NotAllowedBy(Requirement.Parse("lib", spelling));
            Assert.Same(first[spelling], again);
            Assert.False(again.IsPositive);
            Assert.Equal(spelling, again.Set.Label);
            var range = VersionRange.Parse(spelling);
            for (var i = 0; i < universe.Count; i++)
            {
                Assert.Equal(range.IsSatisfiedBy(universe.Versions[i].Version), again.Set.Contains(i));
            }
        }
    }

    [Fact]
    public void Ranges_match_the_same_versions_when_version_numbers_are_too_large_to_pack()
    {
        // Date-like and very large numbers, next to small ones and prereleases.
        var texts = new[] { "1.0.0", "2.0.0-rc.1", "2.0.0", "2097151.0.0", "2097152.0.0", "20230101.0.0-beta", "20230101.0.0", "20230101.4194304.1", "9007199254740991.0.0" };
        var universe = new PackageUniverse("lib", [.. texts.Select(t => PackageVersionInfo.Parse(t))], locked: null);

        foreach (var range in new[] { ">=2097151.0.0", "<2097152.0.0", ">20230101.0.0-beta", "<=20230101.0.0", "^20230101.0.0", ">=2.0.0-rc.1 <20230101.4194304.1", "*", ">9007199254740990.0.0", "2097152.0.0" })
        {
            var set = universe.SetFor(Requirement.Parse("lib", range));
            var parsed = VersionRange.Parse(range);
            for (var i = 0; i < universe.Count; i++)
            {
                Assert.True(parsed.IsSatisfiedBy(universe.Versions[i].Version) == set.Contains(i), $"{range} vs {universe.Versions[i].Version}");
            }
        }
    }
}
