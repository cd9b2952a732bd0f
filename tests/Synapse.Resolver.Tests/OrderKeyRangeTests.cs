using Synapse.Resolver.Solving;
using Synapse.Versioning;

namespace Synapse.Resolver.Tests;

/// <summary>
/// Range matching binary-searches packed major.minor.patch keys: it must agree with the range itself
/// when keys tie (prerelease tags decide) and when a range names numbers too large to pack.
/// </summary>
public sealed class OrderKeyRangeTests
{
    [Fact]
    public void Small_versions_match_ranges_with_tied_keys_and_unpackable_numbers_exactly_like_the_range()
    {
        var texts = new[] { "0.9.9", "1.0.0-alpha", "1.0.0-alpha.2", "1.0.0", "1.0.1", "2.0.0-0", "2.0.0-rc.1", "2.0.0", "2097151.2097151.2097151" };
        var universe = new PackageUniverse("lib", [.. texts.Select(t => PackageVersionInfo.Parse(t))], locked: null);
        var ranges = new[]
        {
            ">=1.0.0-alpha.1", "<1.0.0", "<=1.0.0-alpha.2", ">1.0.0-alpha", "^1.0.0", "<2.0.0-0", "<2.0.0", ">=2.0.0-rc.1",
            "1.0.0", ">=2097152.0.0", "<2097152.0.0", "<=2097151.2097151.2097152", ">1.0.0 <9999999999.0.0", "2.0.0-0 || 1.0.1",
        };

        foreach (var text in ranges)
        {
            var set = universe.SetFor(Requirement.Parse("lib", text));
            var range = VersionRange.Parse(text);
            for (var i = 0; i < universe.Count; i++)
            {
                Assert.True(range.IsSatisfiedBy(universe.Versions[i].Version) == set.Contains(i), $"{text} vs {universe.Versions[i].Version}");
            }
        }
    }
}
