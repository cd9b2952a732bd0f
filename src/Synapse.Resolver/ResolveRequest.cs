using Synapse.Versioning;

namespace Synapse.Resolver;

/// <summary>What to resolve: the root package's requirements and what the lock file says.</summary>
public sealed class ResolveRequest
{
    /// <summary>Name of the package being resolved for; appears in explanations ("myapp depends on ...").</summary>
    public string RootName { get; init; } = "root";

    /// <summary>Version of the root package (only shown if something depends on the root).</summary>
    public SemanticVersion? RootVersion { get; init; }

    /// <summary>The root's dependencies.</summary>
    public IReadOnlyList<Requirement> Dependencies { get; init; } = [];

    /// <summary>The root's dev-dependencies (only the root's own are honored).</summary>
    public IReadOnlyList<Requirement> DevDependencies { get; init; } = [];

    /// <summary>Versions from the lock file: kept while they still satisfy every constraint, even if yanked.</summary>
    public IReadOnlyDictionary<string, SemanticVersion> Locked { get; init; } = new Dictionary<string, SemanticVersion>();

    /// <summary>Packages whose locked version is ignored (<c>update NAME</c>).</summary>
    public IReadOnlySet<string> Unlock { get; init; } = new HashSet<string>();
}
