using Synapse.Versioning;

namespace Synapse.Resolver.Tests;

public sealed class RequirementCacheTests
{
    [Fact]
    public void The_same_name_and_range_text_give_the_same_requirement()
    {
        var cache = new RequirementCache();

        var first = cache.Parse("left-pad", "^1.2.0");
        var again = cache.Parse(new string("left-pad".AsSpan()), new string("^1.2.0".AsSpan()));

        Assert.Same(first, again);
        Assert.Equal("left-pad", first.Name);
        Assert.Equal("^1.2.0", first.Text);
        Assert.True(first.Range.IsSatisfiedBy(SemanticVersion.Parse("1.9.0")));
        Assert.False(first.Range.IsSatisfiedBy(SemanticVersion.Parse("2.0.0")));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_different_name_or_spelling_gets_its_own_requirement()
    {
        var cache = new RequirementCache();

        var caret = cache.Parse("a", "^1.0.0");
        var sameRangeOtherSpelling = cache.Parse("a", ">=1.0.0 <2.0.0");
        var otherPackage = cache.Parse("b", "^1.0.0");

        Assert.NotSame(caret, sameRangeOtherSpelling);
        Assert.NotSame(caret, otherPackage);
        Assert.Equal(">=1.0.0 <2.0.0", sameRangeOtherSpelling.Text);
        Assert.Equal("b", otherPackage.Name);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Spellings_are_kept_as_Requirement_Parse_keeps_them()
    {
        var cache = new RequirementCache();

        Assert.Equal(Requirement.Parse("a", " ~1.2 "), cache.Parse("a", " ~1.2 "));
        Assert.True(cache.TryParse("b", " ~1.2 ", out var tried));
        Assert.Equal(Requirement.Parse("b", " ~1.2 "), tried);
    }

    [Fact]
    public void An_invalid_range_is_refused_every_time_and_Parse_says_why()
    {
        var cache = new RequirementCache();

        Assert.False(cache.TryParse("a", "not a range", out var first));
        Assert.Null(first);
        Assert.False(cache.TryParse("a", "not a range", out _));
        Assert.Throws<FormatException>(() => cache.Parse("a", "not a range"));
        Assert.True(cache.TryParse("a", "1.x", out var valid));
        Assert.Same(valid, cache.Parse("a", "1.x"));
    }

    [Fact]
    public async Task Versions_built_through_one_cache_resolve_as_versions_built_one_by_one()
    {
        var cache = new RequirementCache();
        var shared = new InMemoryPackageSource();
        var separate = new InMemoryPackageSource();
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0" })
        {
            var dependencies = new[] { ("b", version == "2.0.0" ? "^2.0.0" : "^1.0.0") };
            shared.Add("a", new PackageVersionInfo(SemanticVersion.Parse(version), dependencies.Select(d => cache.Parse(d.Item1, d.Item2))));
            separate.Add("a", version, dependencies);
        }
        foreach (var source in new[] { shared, separate })
        {
            source.Add("b", "1.5.0").Add("b", "2.1.0");
        }
        var request = new ResolveRequest { Dependencies = [Requirement.Parse("a", "<2.0.0")] };

        var viaCache = await new DependencyResolver(shared).ResolveAsync(request);
        var oneByOne = await new DependencyResolver(separate).ResolveAsync(request);

        Assert.Equal(
            oneByOne.Packages.Select(p => $"{p.Name} {p.Version}"),
            viaCache.Packages.Select(p => $"{p.Name} {p.Version}"));
        Assert.Equal(["a 1.1.0", "b 1.5.0"], viaCache.Packages.Select(p => $"{p.Name} {p.Version}"));
    }
}
