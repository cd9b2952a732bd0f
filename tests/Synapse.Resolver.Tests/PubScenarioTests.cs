namespace Synapse.Resolver.Tests;

/// <summary>The worked examples of Dart pub's doc/solver.md, with their exact explanation text.</summary>
public sealed class PubScenarioTests
{
    [Fact]
    public async Task No_conflicts()
    {
        var registry = new TestRegistry()
            .Add("foo", "1.0.0", ("bar", "^1.0.0"))
            .Add("bar", "1.0.0")
            .Add("bar", "2.0.0");

        var resolution = await registry.ResolveAsync(("foo", "^1.0.0"));

        Assert.Equal(new Dictionary<string, string> { ["foo"] = "1.0.0", ["bar"] = "1.0.0" }, TestRegistry.Versions(resolution));
        Assert.Equal(0, resolution.Statistics.Conflicts);
    }

    [Fact]
    public async Task Avoiding_a_conflict_during_decision_making()
    {
        var registry = new TestRegistry()
            .Add("foo", "1.1.0", ("bar", "^2.0.0"))
            .Add("foo", "1.0.0")
            .Add("bar", "1.0.0")
            .Add("bar", "1.1.0")
            .Add("bar", "2.0.0");

        var resolution = await registry.ResolveAsync(("foo", "^1.0.0"), ("bar", "^1.0.0"));

        Assert.Equal(new Dictionary<string, string> { ["foo"] = "1.0.0", ["bar"] = "1.1.0" }, TestRegistry.Versions(resolution));
        Assert.Equal(0, resolution.Statistics.Conflicts);
    }

    [Fact]
    public async Task Performing_conflict_resolution()
    {
        var registry = new TestRegistry()
            .Add("foo", "2.0.0", ("bar", "^1.0.0"))
            .Add("foo", "1.0.0")
            .Add("bar", "1.0.0", ("foo", "^1.0.0"));

        var resolution = await registry.ResolveAsync(("foo", ">=1.0.0"));

        Assert.Equal(new Dictionary<string, string> { ["foo"] = "1.0.0" }, TestRegistry.Versions(resolution));
        Assert.Equal(1, resolution.Statistics.Conflicts);
    }

    [Fact]
    public async Task Conflict_resolution_with_a_partial_satisfier()
    {
        var registry = new TestRegistry()
            .Add("foo", "1.1.0", ("left", "^1.0.0"), ("right", "^1.0.0"))
            .Add("foo", "1.0.0")
            .Add("left", "1.0.0", ("shared", ">=1.0.0"))
            .Add("right", "1.0.0", ("shared", "<2.0.0"))
            .Add("shared", "2.0.0")
            .Add("shared", "1.0.0", ("target", "^1.0.0"))
            .Add("target", "2.0.0")
            .Add("target", "1.0.0");

        var resolution = await registry.ResolveAsync(("foo", "^1.0.0"), ("target", "^2.0.0"));

        Assert.Equal(new Dictionary<string, string> { ["foo"] = "1.0.0", ["target"] = "2.0.0" }, TestRegistry.Versions(resolution));
        Assert.True(resolution.Statistics.Conflicts >= 1);
    }

    [Fact]
    public async Task Linear_error_reporting()
    {
        var registry = new TestRegistry()
            .Add("foo", "1.0.0", ("bar", "^2.0.0"))
            .Add("bar", "2.0.0", ("baz", "^3.0.0"))
            .Add("baz", "1.0.0")
            .Add("baz", "3.0.0");

        var failure = await registry.FailAsync(("foo", "^1.0.0"), ("baz", "^1.0.0"));

        Assert.Equal(
            """
            Because every version of foo depends on bar ^2.0.0 which depends on baz ^3.0.0, every version of foo requires baz ^3.0.0.
            So, because root depends on both baz ^1.0.0 and foo ^1.0.0, version solving failed.
            """,
            failure.Explanation);
    }

    [Fact]
    public async Task Branching_error_reporting()
    {
        var registry = new TestRegistry()
            .Add("foo", "1.0.0", ("a", "^1.0.0"), ("b", "^1.0.0"))
            .Add("foo", "1.1.0", ("x", "^1.0.0"), ("y", "^1.0.0"))
            .Add("a", "1.0.0", ("b", "^2.0.0"))
            .Add("b", "1.0.0")
            .Add("b", "2.0.0")
            .Add("x", "1.0.0", ("y", "^2.0.0"))
            .Add("y", "1.0.0")
            .Add("y", "2.0.0");

        var failure = await registry.FailAsync(("foo", "^1.0.0"));

        Assert.Equal(
            """
                Because foo <1.1.0 depends on a ^1.0.0 which depends on b ^2.0.0, foo <1.1.0 requires b ^2.0.0.
            (1) So, because foo <1.1.0 depends on b ^1.0.0, foo <1.1.0 is forbidden.

                Because foo >=1.1.0 depends on x ^1.0.0 which depends on y ^2.0.0, foo >=1.1.0 requires y ^2.0.0.
                And because foo >=1.1.0 depends on y ^1.0.0, foo >=1.1.0 is forbidden.
                And because foo <1.1.0 is forbidden (1), foo is forbidden.
                So, because root depends on foo ^1.0.0, version solving failed.
            """,
            failure.Explanation);
        Assert.Equal("version solving failed", failure.Derivation.Text);
        Assert.Equal(2, failure.Derivation.Causes.Count);
    }

    [Fact]
    public async Task A_range_no_version_matches_is_explained()
    {
        var registry = new TestRegistry().Add("foo", "2.0.0");

        var failure = await registry.FailAsync(("foo", "^1.0.0"));

        Assert.Equal("Because root depends on foo ^1.0.0 which doesn't match any versions, version solving failed.", failure.Explanation);
    }

    [Fact]
    public async Task An_unknown_package_is_explained()
    {
        var failure = await new TestRegistry().FailAsync(("nope", "^1.0.0"));

        Assert.Equal("Because root depends on nope ^1.0.0 which doesn't exist, version solving failed.", failure.Explanation);
    }

    [Fact]
    public async Task A_transitive_unmatched_range_names_the_depender()
    {
        var registry = new TestRegistry()
            .Add("a", "1.0.0", ("b", "^2.0.0"))
            .Add("b", "1.0.0");

        var failure = await registry.FailAsync(("a", "1.0.0"));

        Assert.Equal(
            """
            Because every version of a depends on b ^2.0.0 which doesn't match any versions, a is forbidden.
            So, because root depends on a 1.0.0, version solving failed.
            """,
            failure.Explanation);
    }
}

public sealed class DeepFailureTests
{
    [Fact]
    public async Task A_failure_names_the_missing_packages_it_involves_and_only_those()
    {
        var registry = new TestRegistry()
            .Add("a", "1.0.0", ("ghost", "^1.0.0"))
            .Add("b", "1.0.0", ("phantom", "^1.0.0"))
            .Add("b", "2.0.0");

        var failure = await registry.FailAsync(("a", "^1.0.0"), ("b", "^1.0.0"));
        var noneMissing = await registry.FailAsync(("b", "^3.0.0"));

        Assert.Equal(["ghost"], failure.MissingPackages);
        Assert.Empty(noneMissing.MissingPackages);
    }

    [Fact]
    public async Task A_chain_ending_in_a_missing_package_is_explained_through_every_link()
    {
        var registry = new TestRegistry()
            .Add("a", "1.0.0", ("b", "^1.0.0"))
            .Add("b", "1.0.0", ("c", "^1.0.0"))
            .Add("c", "1.0.0", ("ghost", "^1.0.0"));

        var failure = await registry.FailAsync(("a", "^1.0.0"));

        Assert.Equal(
            """
            Because every version of a depends on b ^1.0.0 which depends on c ^1.0.0, every version of a requires c ^1.0.0.
            And because every version of c depends on ghost ^1.0.0, every version of a requires ghost ^1.0.0.
            So, because ghost doesn't exist and root depends on a ^1.0.0, version solving failed.
            """,
            failure.Explanation);
    }

    [Fact]
    public async Task A_failure_thousands_of_links_deep_does_not_overflow_the_stack()
    {
        const int length = 20_000;
        var registry = new TestRegistry();
        for (var i = 0; i < length; i++)
        {
            registry.Add($"c{i}", "1.0.0", i + 1 < length ? ($"c{i + 1}", "^1.0.0") : ("ghost", "^1.0.0"));
        }

        var failure = await registry.FailAsync(("c0", "^1.0.0"));

        Assert.Contains("ghost doesn't exist", failure.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("version solving failed.", failure.Explanation, StringComparison.Ordinal);
    }
}
