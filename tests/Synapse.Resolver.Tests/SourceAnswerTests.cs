namespace Synapse.Resolver.Tests;

/// <summary>How the resolver treats a source's answers: synchronous, failing at once, or failing for a package it turns out not to need.</summary>
public sealed class SourceAnswerTests
{
    /// <summary>Answers from an in-memory registry, except for <paramref name="broken"/>, whose lookup throws before returning a task.</summary>
    private sealed class ThrowingSource(IPackageSource inner, string broken) : IPackageSource
    {
        public List<string> Calls { get; } = [];

        public ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken)
        {
            Calls.Add(name);
            if (name == broken) throw new InvalidOperationException($"cannot read {name}");
            return inner.GetVersionsAsync(name, cancellationToken);
        }
    }

    [Fact]
    public async Task A_source_that_throws_instead_of_returning_a_task_fails_the_resolution_with_its_own_error()
    {
        var registry = new TestRegistry().Add("app", "1.0.0", ("broken", "^1.0.0"));
        var source = new ThrowingSource(registry.Source, "broken");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new DependencyResolver(source).ResolveAsync(TestRegistry.Request(("app", "^1.0.0"))));

        Assert.Equal("cannot read broken", error.Message);
    }

    [Fact]
    public async Task A_prefetch_that_fails_does_not_matter_when_the_package_is_not_needed()
    {
        // The prefetch follows app's newest version (2.0.0), which needs broken; the root only accepts app 1.x.
        var registry = new TestRegistry()
            .Add("app", "1.0.0", ("util", "^1.0.0"))
            .Add("app", "2.0.0", ("broken", "^1.0.0"))
            .Add("util", "1.0.0");
        var source = new ThrowingSource(registry.Source, "broken");

        var resolution = await new DependencyResolver(source).ResolveAsync(TestRegistry.Request(("app", "^1.0.0")));

        Assert.Equal(new Dictionary<string, string> { ["app"] = "1.0.0", ["util"] = "1.0.0" }, TestRegistry.Versions(resolution));
        Assert.Contains("broken", source.Calls);
    }

    [Fact]
    public async Task A_synchronous_source_is_asked_once_per_package_and_the_count_is_reported()
    {
        var registry = new TestRegistry()
            .Add("app", "1.0.0", ("left", "^1.0.0"), ("right", "^1.0.0"))
            .Add("left", "1.0.0", ("shared", "^1.0.0"))
            .Add("right", "1.0.0", ("shared", "^1.0.0"))
            .Add("shared", "1.0.0");
        var source = new ThrowingSource(registry.Source, broken: "");

        var resolution = await new DependencyResolver(source).ResolveAsync(TestRegistry.Request(("app", "^1.0.0")));

        Assert.Equal(["app", "left", "right", "shared"], source.Calls.Order(StringComparer.Ordinal));
        Assert.Equal(4, resolution.Statistics.PackagesFetched);
        Assert.Equal("1.0.0", TestRegistry.Versions(resolution)["shared"]);
    }

    [Fact]
    public async Task The_in_memory_source_hands_out_a_list_that_later_additions_do_not_change()
    {
        var source = new InMemoryPackageSource().Add("lib", "1.0.0");

        var before = await source.GetVersionsAsync("lib", CancellationToken.None);
        Assert.Same(before, await source.GetVersionsAsync("lib", CancellationToken.None));
        source.Add("lib", "2.0.0");
        var after = await source.GetVersionsAsync("lib", CancellationToken.None);

        Assert.Equal(["1.0.0"], before.Select(v => v.Version.ToString()));
        Assert.Equal(["1.0.0", "2.0.0"], after.Select(v => v.Version.ToString()));
        Assert.Empty(await source.GetVersionsAsync("missing", CancellationToken.None));
    }
}
