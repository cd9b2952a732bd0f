using System.Collections.Concurrent;
using Synapse.Packaging;
using Synapse.Protocol.Contracts;
using Synapse.Resolver;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

/// <summary>Resolution by Synapse.Resolver's PubGrub solver over the registry's versions documents.</summary>
internal sealed class PubGrubResolver : IDependencyResolver
{
    public async Task<IReadOnlyDictionary<string, ResolvedPackage>> ResolveAsync(
        ResolutionRequest request, Func<string, CancellationToken, Task<VersionsDocument>> versions, CancellationToken cancellationToken)
    {
        var source = new DocumentSource(versions);
        var resolve = new ResolveRequest
        {
            RootName = "your project",
            Dependencies = request.Root.Select(r => new Requirement(r.Key, r.Value, request.RootText.GetValueOrDefault(r.Key))).ToList(),
            Locked = request.Locked,
            Unlock = request.Unlock,
        };
        Resolution resolution;
        try
        {
            resolution = await new DependencyResolver(source).ResolveAsync(resolve, cancellationToken);
        }
        catch (VersionSolvingException failure)
        {
            throw new ResolutionFailedException(failure.Explanation, failure.MissingPackages);
        }
        var result = new Dictionary<string, ResolvedPackage>(StringComparer.Ordinal);
        foreach (var package in resolution.Packages)
        {
            var entry = source.Entry(package.Name, package.Version);
            var requirements = package.Dependencies.ToDictionary(
                d => d.Key,
                d => entry?.Dependencies.TryGetValue(d.Key, out var text) == true && VersionRange.TryParse(text, out var range) ? range : VersionRange.Parse(d.Value.ToString()),
                StringComparer.Ordinal);
            result[Infrastructure.PackageSpec.Canonical(package.Name)] = new ResolvedPackage(package.Name, package.Version, entry?.Sha256 ?? "", requirements);
        }
        return result;
    }

    /// <summary>Adapts versions documents to the resolver's source, remembering each version's checksum.</summary>
    private sealed class DocumentSource(Func<string, CancellationToken, Task<VersionsDocument>> versions) : IPackageSource
    {
        private readonly ConcurrentDictionary<string, VersionsDocument> _documents = new(StringComparer.Ordinal);

        public async ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken)
        {
            var document = await versions(name, cancellationToken);
            _documents[name] = document;
            var list = new List<PackageVersionInfo>();
            // Versions usually repeat their ranges: each distinct one is parsed and kept once.
            var requirements = new RequirementCache();
            foreach (var entry in document.Versions)
            {
                if (!SemanticVersion.TryParse(entry.Version, out var version))
                {
                    continue;
                }
                var dependencies = new List<Requirement>();
                var valid = true;
                foreach (var (dependency, text) in entry.Dependencies)
                {
                    if (PackageName.IsValid(dependency) && requirements.TryParse(dependency, text, out var requirement))
                    {
                        dependencies.Add(requirement);
                    }
                    else
                    {
                        valid = false;
                    }
                }
                if (valid)
                {
                    list.Add(new PackageVersionInfo(version, dependencies, entry.Yanked));
                }
            }
            return list;
        }

        public VersionEntry? Entry(string name, SemanticVersion version) =>
            _documents.TryGetValue(name, out var document)
                ? document.Versions.FirstOrDefault(v => SemanticVersion.TryParse(v.Version, out var parsed) && parsed == version)
                : null;
    }
}
