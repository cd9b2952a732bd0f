namespace Synapse.Resolver.Tests;

public sealed class PrereleaseTests
{
    private static TestRegistry Registry() => new TestRegistry()
        .Add("lib", "1.0.0")
        .Add("lib", "1.1.0-beta.1")
        .Add("lib", "2.0.0-rc.1");

    [Fact]
    public async Task A_prerelease_is_not_chosen_for_a_plain_range()
    {
        var resolution = await Registry().ResolveAsync(("lib", "^1.0.0"));

        Assert.Equal("1.0.0", resolution.Versions["lib"].ToString());
    }

    [Fact]
    public async Task A_prerelease_is_chosen_when_the_range_names_the_same_tuple()
    {
        var resolution = await Registry().ResolveAsync(("lib", "^1.1.0-beta.1"));

        Assert.Equal("1.1.0-beta.1", resolution.Versions["lib"].ToString());
    }

    [Fact]
    public async Task A_prerelease_of_another_tuple_stays_excluded()
    {
        // >=1.1.0-beta.1 admits prereleases of 1.1.0 only, so 2.0.0-rc.1 is out even though it is higher.
        var resolution = await Registry().ResolveAsync(("lib", ">=1.1.0-beta.1"));

        Assert.Equal("1.1.0-beta.1", resolution.Versions["lib"].ToString());
    }

    [Fact]
    public async Task Star_does_not_match_prereleases()
    {
        var registry = new TestRegistry().Add("lib", "2.0.0-rc.1");

        var failure = await registry.FailAsync(("lib", "*"));

        Assert.Equal("Because root depends on lib * which doesn't match any versions, version solving failed.", failure.Explanation);
    }

    [Fact]
    public async Task Each_depender_must_admit_the_prerelease()
    {
        var registry = Registry().Add("app", "1.0.0", ("lib", "^1.0.0"));

        var resolution = await registry.ResolveAsync(("app", "1.0.0"), ("lib", ">=1.0.0-0"));

        Assert.Equal("1.0.0", resolution.Versions["lib"].ToString());
    }
}
