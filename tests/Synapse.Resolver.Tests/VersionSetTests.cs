using Synapse.Resolver.Solving;

namespace Synapse.Resolver.Tests;

public sealed class VersionSetTests
{
    private static VersionSet Set(int universe, params int[] points) => VersionSet.FromPoints(universe, points);

    private static int[] Points(VersionSet set) => [.. Enumerable.Range(0, set.Universe).Where(set.Contains)];

    [Fact]
    public void Operations_match_plain_set_algebra_on_random_sets()
    {
        var random = new Random(42);
        for (var round = 0; round < 2000; round++)
        {
            var universe = random.Next(1, 20);
            var a = Enumerable.Range(0, universe).Where(_ => random.Next(2) == 0).ToArray();
            var b = Enumerable.Range(0, universe).Where(_ => random.Next(2) == 0).ToArray();
            var setA = Set(universe, a);
            var setB = Set(universe, b);

            Assert.Equal(a.Intersect(b).Order(), Points(setA.Intersect(setB)));
            Assert.Equal(a.Union(b).Order(), Points(setA.Union(setB)));
            Assert.Equal(a.Except(b).Order(), Points(setA.Difference(setB)));
            Assert.Equal(Enumerable.Range(0, universe).Except(a), Points(setA.Complement()));
            Assert.Equal(!a.Except(b).Any(), setA.IsSubsetOf(setB));
            Assert.Equal(!a.Intersect(b).Any(), setA.IsDisjointFrom(setB));
            Assert.Equal(a.Length, setA.CountBelow(universe));
            Assert.Equal(a.Length == 0 ? -1 : a.Max(), setA.HighestBelow(universe));
            Assert.True(setA.Complement().Complement().Equals(setA));
        }
    }

    [Fact]
    public void Labels_survive_operations_that_do_not_change_the_set()
    {
        var caret = Set(5, 1, 2).WithLabel("^1.0.0");

        Assert.Equal("^1.0.0", caret.Intersect(VersionSet.Full(5)).Label);
        Assert.Equal("^1.0.0", caret.Union(Set(5, 2)).Label);
        Assert.Null(caret.Intersect(Set(5, 1)).Label);
    }

    [Fact]
    public void Adjacent_points_merge_into_one_interval()
    {
        var set = Set(10, 1, 2, 3, 5, 6);

        Assert.Equal(2, set.IntervalCount);
        Assert.Equal((1, 4), (set.Start(0), set.End(0)));
        Assert.Equal((5, 7), (set.Start(1), set.End(1)));
    }
}
