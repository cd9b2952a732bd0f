namespace Synapse.Benchmarks.Resolver;

/// <summary>Deterministic synthetic resolution problems for benchmarks.</summary>
public static class SyntheticRegistries
{
    private static readonly string[] Versions = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "2.0.0"];

    /// <summary>
    /// <paramref name="packages"/> packages; package i depends on i+1 (a chain as deep as the graph)
    /// and on up to <paramref name="fanOut"/> random later packages; the root depends on a spread of them.
    /// Every package has five versions, so ranges have to be matched and merged, not just read.
    /// </summary>
    public static RegistrySnapshot DeepAndWide(int packages, int fanOut = 4, int seed = 1) =>
        Layered(packages, fanOut, seed, ["^1.1.0", ">=1.0.0 <2.0.0", "^1.0.0"]);

    /// <summary>
    /// <see cref="DeepAndWide"/> where a third of the edges pin <c>~1.2.0</c>: the highest version
    /// chosen first (1.3.0) is often refused much later, so the solver backjumps again and again.
    /// </summary>
    public static RegistrySnapshot DeepAndWideWithPins(int packages, int fanOut = 4, int seed = 1) =>
        Layered(packages, fanOut, seed, ["^1.1.0", ">=1.0.0 <2.0.0", "~1.2.0"]);

    private static RegistrySnapshot Layered(int packages, int fanOut, int seed, string[] ranges)
    {
        var random = new Random(seed);
        var snapshot = new RegistrySnapshot();
        for (var i = 0; i < packages; i++)
        {
            var dependencies = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (i + 1 < packages) dependencies[Name(i + 1)] = "^1.0.0";
            for (var k = 0; k < fanOut && i + 2 < packages; k++)
            {
                dependencies[Name(random.Next(i + 2, packages))] = ranges[random.Next(ranges.Length)];
            }
            foreach (var version in Versions)
            {
                snapshot.Add(Name(i), version, [.. dependencies.Select(d => (d.Key, d.Value))]);
            }
        }
        snapshot.Root.Add((Name(0), "^1.0.0"));
        for (var k = 1; k <= 8; k++) snapshot.Root.Add((Name(packages * k / 9), "^1.0.0"));
        return snapshot;

        static string Name(int index) => $"pkg-{index:D5}";
    }

    /// <summary>
    /// Late conflicts: every version of <c>top</c> needs its own <c>mid</c>, which needs its own
    /// <c>leaf</c>, and only the oldest leaf accepts the <c>pin</c> the root requires, so the solver
    /// must learn its way down through <paramref name="versions"/> distinct versions.
    /// </summary>
    public static RegistrySnapshot LateConflicts(int versions)
    {
        var snapshot = new RegistrySnapshot();
        for (var v = 1; v <= versions; v++)
        {
            var version = $"{v}.0.0";
            snapshot.Add("top", version, ("mid", version), ("filler", "^1.0.0"));
            snapshot.Add("mid", version, ("leaf", version));
            snapshot.Add("leaf", version, ("pin", v == 1 ? "^1.0.0" : "^2.0.0"));
        }
        snapshot.Add("filler", "1.0.0");
        snapshot.Add("pin", "1.0.0");
        snapshot.Add("pin", "2.0.0");
        snapshot.Root.Add(("top", "*"));
        snapshot.Root.Add(("pin", "^1.0.0"));
        return snapshot;
    }

    /// <summary>
    /// Like <see cref="LateConflicts"/> but no version works: the failure must be proven and explained.
    /// </summary>
    public static RegistrySnapshot Unsolvable(int versions)
    {
        var snapshot = LateConflicts(versions);
        snapshot.Root[1] = ("pin", "^3.0.0");
        snapshot.Add("pin", "3.0.0", ("top", "<1.0.0"));
        return snapshot;
    }
}
