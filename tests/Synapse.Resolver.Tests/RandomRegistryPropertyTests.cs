using Synapse.Versioning;

namespace Synapse.Resolver.Tests;

/// <summary>
/// Seeded random small registries: every solution satisfies every constraint, and every failure is
/// confirmed by an exhaustive search.
/// </summary>
public sealed class RandomRegistryPropertyTests
{
    private static readonly string[] VersionPool = ["1.0.0", "1.1.0", "1.2.0-beta.1", "1.2.0", "2.0.0", "2.1.0", "3.0.0-rc.1", "3.0.0"];
    private static readonly string[] RangePool =
        ["^1.0.0", "^2.0.0", ">=1.1.0", "<2.0.0", "*", "~1.1.0", "1.0.0 || ^3.0.0", ">=1.2.0-beta.1 <2.0.0", "^3.0.0-rc.1", ">=2.0.0", "1.x", "2.1.0"];

    private sealed record RandomVersion(string Version, bool Yanked, (string Name, string Range)[] Dependencies);

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Resolution_agrees_with_exhaustive_search(int seed)
    {
        var random = new Random(seed);
        var packageCount = random.Next(2, 7);
        var names = Enumerable.Range(0, packageCount).Select(i => $"p{i}").ToArray();
        var registry = new Dictionary<string, List<RandomVersion>>();
        var source = new InMemoryPackageSource();
        foreach (var name in names)
        {
            var versions = VersionPool.OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
            registry[name] = [];
            foreach (var version in versions)
            {
                var dependencies = names.Where(n => n != name && random.NextDouble() < 0.35)
                    .Select(n => (n, RangePool[random.Next(RangePool.Length)])).ToArray();
                var yanked = random.NextDouble() < 0.1;
                registry[name].Add(new RandomVersion(version, yanked, dependencies));
                source.Add(name, PackageVersionInfo.Parse(version, dependencies.Select(d => KeyValuePair.Create(d.Item1, d.Item2)), yanked));
            }
        }
        var root = names.Where(_ => random.NextDouble() < 0.5).DefaultIfEmpty(names[0])
            .Select(n => (Name: n, Range: RangePool[random.Next(RangePool.Length)])).ToArray();
        if (random.NextDouble() < 0.1) root = [.. root, ("missing", "^1.0.0")];

        var request = TestRegistry.Request(root);
        var exhaustive = ExhaustiveSearch(registry, root);
        try
        {
            var resolution = await new DependencyResolver(source).ResolveAsync(request);
            AssertValid(registry, root, resolution);
            Assert.NotNull(exhaustive);
        }
        catch (VersionSolvingException failure)
        {
            Assert.True(exhaustive is null, $"Resolver failed but a solution exists: {Show(exhaustive)}\n{failure.Explanation}");
            Assert.EndsWith("version solving failed.", failure.Explanation, StringComparison.Ordinal);
        }
    }

    private static string Show(Dictionary<string, string>? solution) =>
        solution is null ? "none" : string.Join(", ", solution.Select(p => $"{p.Key} {p.Value}"));

    private static void AssertValid(Dictionary<string, List<RandomVersion>> registry, (string Name, string Range)[] root, Resolution resolution)
    {
        Assert.Equal(resolution.Packages.Count, resolution.Packages.Select(p => p.Name).Distinct().Count());
        var chosen = resolution.Versions;
        foreach (var (name, range) in root)
        {
            Assert.True(chosen.ContainsKey(name), $"root dependency {name} was not selected");
            Assert.True(VersionRange.Parse(range).IsSatisfiedBy(chosen[name]), $"{name} {chosen[name]} does not satisfy root's {range}");
        }
        foreach (var (name, version) in chosen)
        {
            var info = registry[name].Single(v => SemanticVersion.Parse(v.Version) == version);
            Assert.False(info.Yanked, $"{name} {version} is yanked");
            foreach (var (dependency, range) in info.Dependencies)
            {
                Assert.True(chosen.ContainsKey(dependency), $"{name} {version} needs {dependency}");
                Assert.True(VersionRange.Parse(range).IsSatisfiedBy(chosen[dependency]), $"{dependency} {chosen[dependency]} does not satisfy {name}'s {range}");
            }
        }
    }

    /// <summary>Depth-first search over every way to pick versions for the packages that are required.</summary>
    private static Dictionary<string, string>? ExhaustiveSearch(Dictionary<string, List<RandomVersion>> registry, (string Name, string Range)[] root)
    {
        var constraints = root.Select(r => (r.Name, Range: VersionRange.Parse(r.Range))).ToList();
        return Search(new Dictionary<string, RandomVersion>(), constraints);

        Dictionary<string, string>? Search(Dictionary<string, RandomVersion> assigned, List<(string Name, VersionRange Range)> required)
        {
            var next = required.Select(r => r.Name).FirstOrDefault(n => !assigned.ContainsKey(n));
            if (next is null) return assigned.ToDictionary(p => p.Key, p => p.Value.Version);
            if (!registry.TryGetValue(next, out var versions)) return null;
            foreach (var candidate in versions.Where(v => !v.Yanked))
            {
                var version = SemanticVersion.Parse(candidate.Version);
                if (!required.Where(r => r.Name == next).All(r => r.Range.IsSatisfiedBy(version))) continue;
                var added = candidate.Dependencies.Select(d => (d.Name, Range: VersionRange.Parse(d.Range))).ToList();
                if (!added.All(d => !assigned.TryGetValue(d.Name, out var existing) || d.Range.IsSatisfiedBy(SemanticVersion.Parse(existing.Version)))) continue;
                assigned[next] = candidate;
                var found = Search(assigned, [.. required, .. added]);
                if (found is not null) return found;
                assigned.Remove(next);
            }
            return null;
        }
    }
}
