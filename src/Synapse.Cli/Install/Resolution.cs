using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

/// <summary>One chosen package version with its checksum and the exact versions of its dependencies.</summary>
internal sealed record ResolvedPackage(string Name, SemanticVersion Version, string Sha256, IReadOnlyDictionary<string, VersionRange> Requirements);

/// <summary>What resolution needs to know: the root's requirements, locked versions still preferred, and names to unlock.</summary>
internal sealed record ResolutionRequest(
    IReadOnlyDictionary<string, VersionRange> Root,
    IReadOnlyDictionary<string, SemanticVersion> Locked,
    IReadOnlySet<string> Unlock)
{
    /// <summary>The ranges as the user wrote them, for explanations.</summary>
    public IReadOnlyDictionary<string, string> RootText { get; init; } = new Dictionary<string, string>();
}

/// <summary>Turns requirements into one version per package.</summary>
internal interface IDependencyResolver
{
    /// <summary>Returns the chosen packages keyed by canonical name, or throws <see cref="ResolutionFailedException"/>.</summary>
    Task<IReadOnlyDictionary<string, ResolvedPackage>> ResolveAsync(
        ResolutionRequest request, Func<string, CancellationToken, Task<VersionsDocument>> versions, CancellationToken cancellationToken);
}

/// <param name="explanation">The resolver's numbered explanation.</param>
/// <param name="missingPackages">Packages the explanation says do not exist (a misspelt or unpublished dependency).</param>
internal sealed class ResolutionFailedException(string explanation, IReadOnlyList<string> missingPackages) : Exception(explanation)
{
    public IReadOnlyList<string> MissingPackages { get; } = missingPackages;
}
