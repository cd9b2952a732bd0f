using Synapse.Resolver.Solving;

namespace Synapse.Resolver.Tests;

/// <summary>A range term is found by the requirement object first, then by its spelling: either way one term per spelling.</summary>
public sealed class SharedRequirementTermTests
{
    [Fact]
    public void Shared_and_separately_parsed_requirements_of_one_spelling_get_the_same_term()
    {
        var universe = new PackageUniverse("lib", [.. Enumerable.Range(0, 30).Select(minor => PackageVersionInfo.Parse($"1.{minor}.0"))], locked: null);
        var cache = new RequirementCache();
        // Past the spellings searched in order too, so some live in the dictionary.
        var spellings = Enumerable.Range(0, 12).Select(minor => $"^1.{minor}.0").ToList();

        var shared = spellings.Select(s => cache.Parse("lib", s)).ToList();
        var terms = shared.Select(universe.NotAllowedBy).ToList();

        Assert.Equal(spellings.Count, terms.Distinct().Count());
        for (var i = 0; i < spellings.Count; i++)
        {
            Assert.Same(terms[i], universe.NotAllowedBy(shared[i]));
            Assert.Same(terms[i], universe.NotAllowedBy(cache.Parse("lib", spellings[i])));
            Assert.Same(terms[i], universe.NotAllowedBy(Requirement.Parse("lib", spellings[i])));
            Assert.Equal(spellings[i], terms[i].Set.Label);
            Assert.Equal(30 - i, terms[i].Set.CountBelow(universe.Count));
        }
    }
}
