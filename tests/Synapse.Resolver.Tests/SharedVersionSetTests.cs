using Synapse.Resolver.Solving;

namespace Synapse.Resolver.Tests;

/// <summary>Unlabeled "every version" and single-version sets of small universes are shared values.</summary>
public sealed class SharedVersionSetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Shared_or_not_the_sets_hold_exactly_their_points(int universe)
    {
        var full = VersionSet.Full(universe);
        Assert.True(full.IsFull);
        Assert.Equal(universe, full.CountBelow(universe));
        Assert.Null(full.Label);
        foreach (var point in new[] { 0, universe / 2, universe - 1 })
        {
            var single = VersionSet.Single(universe, point);
            Assert.Equal(VersionSet.Range(universe, point, point + 1), single);
            Assert.Equal(1, single.CountBelow(universe));
            Assert.True(single.Contains(point));
            Assert.Null(single.Label);
        }
    }

    [Fact]
    public void Small_universes_get_one_instance_per_set_and_a_label_makes_a_new_one()
    {
        Assert.Same(VersionSet.Full(6), VersionSet.Full(6));
        Assert.Same(VersionSet.Single(6, 2), VersionSet.Single(6, 2));
        Assert.NotSame(VersionSet.Single(6, 2), VersionSet.Single(6, 3));
        Assert.NotSame(VersionSet.Full(6), VersionSet.Full(7));

        var labeled = VersionSet.Single(6, 5).WithLabel("^9.0.0");

        Assert.Equal("^9.0.0", labeled.Label);
        Assert.Null(VersionSet.Single(6, 5).Label);
    }

    [Fact]
    public void The_no_known_version_point_is_shared_too_and_holds_no_known_version()
    {
        // Five versions and the "no known version" point after them.
        var none = VersionSet.Single(6, 5);

        Assert.Same(none, VersionSet.Single(6, 5));
        Assert.Equal(0, none.CountBelow(5));
        Assert.Equal(-1, none.HighestBelow(5));
        Assert.True(VersionSet.Full(6).Difference(VersionSet.Range(6, 0, 5)).Equals(none));
    }
}
