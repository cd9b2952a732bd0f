namespace Synapse.Resolver.Tests;

public sealed class LockAndYankTests
{
    private static TestRegistry Registry() => new TestRegistry()
        .Add("app-lib", "1.0.0", ("util", "^1.0.0"))
        .Add("app-lib", "1.1.0", ("util", "^1.1.0"))
        .Add("app-lib", "1.2.0", ("util", "^1.2.0"))
        .Add("util", "1.0.0")
        .Add("util", "1.1.0")
        .Add("util", "1.2.0")
        .Add("other", "1.0.0")
        .Add("other", "1.5.0");

    [Fact]
    public async Task Locked_versions_are_kept_while_they_satisfy()
    {
        var request = new ResolveRequest
        {
            Dependencies = TestRegistry.Request(("app-lib", "^1.0.0"), ("other", "^1.0.0")).Dependencies,
            Locked = TestRegistry.Locked(("app-lib", "1.0.0"), ("util", "1.1.0"), ("other", "1.0.0")),
        };

        var resolution = await Registry().ResolveAsync(request);

        Assert.Equal(new Dictionary<string, string> { ["app-lib"] = "1.0.0", ["util"] = "1.1.0", ["other"] = "1.0.0" }, TestRegistry.Versions(resolution));
    }

    [Fact]
    public async Task Without_a_lock_the_highest_versions_win()
    {
        var resolution = await Registry().ResolveAsync(("app-lib", "^1.0.0"), ("other", "^1.0.0"));

        Assert.Equal(new Dictionary<string, string> { ["app-lib"] = "1.2.0", ["util"] = "1.2.0", ["other"] = "1.5.0" }, TestRegistry.Versions(resolution));
    }

    [Fact]
    public async Task A_locked_version_that_no_longer_satisfies_is_replaced()
    {
        var request = new ResolveRequest
        {
            Dependencies = TestRegistry.Request(("other", "^1.5.0")).Dependencies,
            Locked = TestRegistry.Locked(("other", "1.0.0")),
        };

        var resolution = await Registry().ResolveAsync(request);

        Assert.Equal("1.5.0", resolution.Versions["other"].ToString());
    }

    [Fact]
    public async Task Updating_one_package_moves_only_what_it_must()
    {
        var request = new ResolveRequest
        {
            Dependencies = TestRegistry.Request(("app-lib", "^1.0.0"), ("other", "^1.0.0")).Dependencies,
            Locked = TestRegistry.Locked(("app-lib", "1.0.0"), ("util", "1.0.0"), ("other", "1.0.0")),
            Unlock = new HashSet<string> { "app-lib" },
        };

        var resolution = await Registry().ResolveAsync(request);

        // app-lib 1.2.0 needs util ^1.2.0, so util must move too; other stays locked.
        Assert.Equal(new Dictionary<string, string> { ["app-lib"] = "1.2.0", ["util"] = "1.2.0", ["other"] = "1.0.0" }, TestRegistry.Versions(resolution));
    }

    [Fact]
    public async Task Updating_a_leaf_leaves_its_dependers_locked()
    {
        var request = new ResolveRequest
        {
            Dependencies = TestRegistry.Request(("app-lib", "^1.0.0")).Dependencies,
            Locked = TestRegistry.Locked(("app-lib", "1.0.0"), ("util", "1.0.0")),
            Unlock = new HashSet<string> { "util" },
        };

        var resolution = await Registry().ResolveAsync(request);

        Assert.Equal(new Dictionary<string, string> { ["app-lib"] = "1.0.0", ["util"] = "1.2.0" }, TestRegistry.Versions(resolution));
    }

    [Fact]
    public async Task A_yanked_version_is_never_chosen_when_not_locked()
    {
        var registry = new TestRegistry().Add("lib", "1.0.0").Yanked("lib", "1.1.0");

        var resolution = await registry.ResolveAsync(("lib", "^1.0.0"));

        Assert.Equal("1.0.0", resolution.Versions["lib"].ToString());
    }

    [Fact]
    public async Task A_locked_yanked_version_is_kept()
    {
        var registry = new TestRegistry().Add("lib", "1.0.0").Yanked("lib", "1.1.0");
        var request = new ResolveRequest
        {
            Dependencies = TestRegistry.Request(("lib", "^1.0.0")).Dependencies,
            Locked = TestRegistry.Locked(("lib", "1.1.0")),
        };

        var resolution = await registry.ResolveAsync(request);

        Assert.Equal("1.1.0", resolution.Versions["lib"].ToString());
    }

    [Fact]
    public async Task Updating_a_package_locked_at_a_yanked_version_moves_it_off()
    {
        var registry = new TestRegistry().Add("lib", "1.0.0").Yanked("lib", "1.1.0");
        var request = new ResolveRequest
        {
            Dependencies = TestRegistry.Request(("lib", "^1.0.0")).Dependencies,
            Locked = TestRegistry.Locked(("lib", "1.1.0")),
            Unlock = new HashSet<string> { "lib" },
        };

        var resolution = await registry.ResolveAsync(request);

        Assert.Equal("1.0.0", resolution.Versions["lib"].ToString());
    }

    [Fact]
    public async Task Only_yanked_versions_match_is_explained()
    {
        var registry = new TestRegistry().Yanked("lib", "1.0.0");

        var failure = await registry.FailAsync(("lib", "^1.0.0"));

        Assert.Equal("Because root depends on lib ^1.0.0 which doesn't match any versions, version solving failed.", failure.Explanation);
    }

    [Fact]
    public async Task Dev_dependencies_of_the_root_are_resolved_but_not_those_of_dependencies()
    {
        var registry = new TestRegistry().Add("lib", "1.0.0").Add("test-kit", "2.0.0");
        var request = new ResolveRequest
        {
            RootName = "myapp",
            Dependencies = [Requirement.Parse("lib", "^1.0.0")],
            DevDependencies = [Requirement.Parse("test-kit", "^2.0.0")],
        };

        var resolution = await registry.ResolveAsync(request);

        Assert.Equal(new Dictionary<string, string> { ["lib"] = "1.0.0", ["test-kit"] = "2.0.0" }, TestRegistry.Versions(resolution));
        Assert.Equal(["lib", "test-kit"], resolution.RootDependencies.Select(d => d.Key));
    }

    [Fact]
    public async Task The_root_name_appears_in_explanations()
    {
        var request = new ResolveRequest { RootName = "myapp", Dependencies = [Requirement.Parse("ghost", "^1.0.0")] };

        var failure = await Assert.ThrowsAsync<VersionSolvingException>(() => new TestRegistry().ResolveAsync(request));

        Assert.Equal("Because myapp depends on ghost ^1.0.0 which doesn't exist, version solving failed.", failure.Explanation);
    }

    [Fact]
    public async Task Edges_list_the_selected_version_of_each_dependency()
    {
        var resolution = await Registry().ResolveAsync(("app-lib", "^1.0.0"));

        var appLib = Assert.Single(resolution.Packages, p => p.Name == "app-lib");
        var edge = Assert.Single(appLib.Dependencies);
        Assert.Equal("util", edge.Key);
        Assert.Equal("1.2.0", edge.Value.ToString());
    }
}
