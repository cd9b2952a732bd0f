using System.Collections.Concurrent;
using Synapse.Resolver.Solving;

namespace Synapse.Resolver.Tests;

/// <summary>
/// Package ids are given when a name is first mentioned, and a version's dependencies are resolved
/// to ids once per run of versions with the same requirements (on arrival for the preferred version).
/// </summary>
public sealed class DependencyIdTests
{
    private sealed class CountingSource(IPackageSource inner, bool answerLater) : IPackageSource
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        /// <summary>When answering later, no answer comes before this opens.</summary>
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken)
        {
            Calls.Enqueue(name);
            if (answerLater)
            {
                await Gate.Task;
                await Task.Yield();
            }
            return await inner.GetVersionsAsync(name, cancellationToken);
        }
    }

    private static TestRegistry TwoRuns() => new TestRegistry()
        .Add("app", "1.0.0", ("old", "^1.0.0"))
        .Add("app", "1.1.0", ("old", "^1.0.0"))
        .Add("app", "2.0.0", ("new", "^1.0.0"), ("util", "^1.0.0"))
        .Add("app", "2.1.0", ("new", "^1.0.0"), ("util", "^1.0.0"))
        .Add("old", "1.0.0")
        .Add("new", "1.0.0")
        .Add("util", "1.0.0");

    private static PackageCatalog Catalog(IPackageSource source) => new(source, _ => null, CancellationToken.None);

    [Fact]
    public void A_name_gets_one_id_when_first_mentioned_and_nothing_is_fetched()
    {
        var source = new CountingSource(TwoRuns().Source, answerLater: false);
        var catalog = Catalog(source);

        var app = catalog.IdFor("app");
        var util = catalog.IdFor("util");

        Assert.NotEqual(app, util);
        Assert.Equal(app, catalog.IdFor("app"));
        Assert.Empty(source.Calls);
        Assert.False(catalog.TryGet(app, out _));
    }

    [Fact]
    public void An_answer_at_once_gives_the_preferred_run_its_dependency_ids_and_queues_only_those()
    {
        var source = new CountingSource(TwoRuns().Source, answerLater: false);
        var catalog = Catalog(source);

        var app = catalog.Get("app");

        Assert.Equal(["app"], source.Calls);
        int[] expected = [catalog.IdFor("new"), catalog.IdFor("util")];
        Assert.Equal(expected, app.DependencyIds(3));
        Assert.Same(app.DependencyIds(3), app.DependencyIds(2));
        Assert.Null(app.DependencyIds(1));
        Assert.Null(app.DependencyIds(0));

        catalog.StartPrefetches();

        Assert.Equal(["app", "new", "util"], source.Calls);
        Assert.True(catalog.TryGet(expected[0], out var arrived));
        Assert.Equal("new", arrived.Name);
    }

    [Fact]
    public async Task A_later_answer_leaves_the_ids_to_the_solver_and_still_queues_the_preferred_dependencies()
    {
        var source = new CountingSource(TwoRuns().Source, answerLater: true);
        var catalog = Catalog(source);

        var fetch = catalog.GetAsync(catalog.IdFor("app"));
        Assert.False(fetch.IsCompleted);
        source.Gate.SetResult();
        var app = await fetch;
        catalog.StartPrefetches();

        Assert.Null(app.DependencyIds(3));
        Assert.Equal(["app", "new", "util"], source.Calls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_set_for_one_version_cover_exactly_its_run_of_equal_requirements()
    {
        var versions = new[]
        {
            PackageVersionInfo.Parse("1.0.0", [KeyValuePair.Create("a", "^1.0.0")]),
            PackageVersionInfo.Parse("1.1.0", [KeyValuePair.Create("a", "^1.0.0")]),
            PackageVersionInfo.Parse("2.0.0", [KeyValuePair.Create("b", "^1.0.0")]),
            PackageVersionInfo.Parse("2.1.0", [KeyValuePair.Create("b", "^1.0.0")]),
            PackageVersionInfo.Parse("3.0.0", [KeyValuePair.Create("a", "^1.0.0")]),
        };
        var universe = new PackageUniverse("lib", versions, locked: null);

        universe.SetDependencyIds(3, [7]);

        Assert.Equal([null, null, [7], [7], null], Enumerable.Range(0, 5).Select(universe.DependencyIds));
    }

    public static TheoryData<bool> AnswerAtOnceOrLater() => new() { false, true };

    [Theory]
    [MemberData(nameof(AnswerAtOnceOrLater))]
    public async Task A_version_outside_the_preferred_run_gets_its_own_dependencies(bool answerLater)
    {
        var registry = TwoRuns().Add("blocker", "1.0.0", ("util", "^2.0.0")).Add("util", "2.0.0");
        var source = new CountingSource(registry.Source, answerLater);
        source.Gate.SetResult();

        // blocker needs util 2, which app 2.x refuses, so app 1.1.0 (the other run) is chosen.
        var resolution = await new DependencyResolver(source).ResolveAsync(TestRegistry.Request(("app", "*"), ("blocker", "1.0.0")));

        var app = Assert.Single(resolution.Packages, p => p.Name == "app");
        Assert.Equal("1.1.0", app.Version.ToString());
        Assert.Equal(["old 1.0.0"], app.Dependencies.Select(d => $"{d.Key} {d.Value}"));
        Assert.Equal(["app 1.1.0", "blocker 1.0.0", "old 1.0.0", "util 2.0.0"], resolution.Packages.Select(p => $"{p.Name} {p.Version}"));
    }
}
