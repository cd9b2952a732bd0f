using Synapse.Versioning;

namespace Synapse.Resolver.Tests;

/// <summary>Builds in-memory registries and runs the resolver against them.</summary>
internal sealed class TestRegistry
{
    public InMemoryPackageSource Source { get; } = new();

    public TestRegistry Add(string name, string version, params (string Name, string Range)[] dependencies)
    {
        Source.Add(name, version, dependencies);
        return this;
    }

    public TestRegistry Yanked(string name, string version, params (string Name, string Range)[] dependencies)
    {
        Source.Add(name, PackageVersionInfo.Parse(version, dependencies.Select(d => KeyValuePair.Create(d.Name, d.Range)), isYanked: true));
        return this;
    }

    public Task<Resolution> ResolveAsync(params (string Name, string Range)[] root) => ResolveAsync(Request(root));

    public Task<Resolution> ResolveAsync(ResolveRequest request) => new DependencyResolver(Source).ResolveAsync(request);

    public async Task<VersionSolvingException> FailAsync(params (string Name, string Range)[] root) =>
        await Assert.ThrowsAsync<VersionSolvingException>(() => ResolveAsync(root));

    public static ResolveRequest Request(params (string Name, string Range)[] root) =>
        new() { Dependencies = [.. root.Select(r => Requirement.Parse(r.Name, r.Range))] };

    public static Dictionary<string, string> Versions(Resolution resolution) =>
        resolution.Versions.ToDictionary(p => p.Key, p => p.Value.ToString());

    public static Dictionary<string, SemanticVersion> Locked(params (string Name, string Version)[] locked) =>
        locked.ToDictionary(l => l.Name, l => SemanticVersion.Parse(l.Version));
}
