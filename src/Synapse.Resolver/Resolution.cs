using Synapse.Versioning;

namespace Synapse.Resolver;

/// <summary>One selected package and the selected versions of its dependencies.</summary>
/// <param name="Name">The package.</param>
/// <param name="Version">The selected version.</param>
/// <param name="Dependencies">Each dependency's name and selected version, sorted by name.</param>
public sealed record ResolvedPackage(string Name, SemanticVersion Version, IReadOnlyList<KeyValuePair<string, SemanticVersion>> Dependencies);

/// <summary>Counters describing how hard a resolution was.</summary>
/// <param name="Decisions">Versions tentatively selected.</param>
/// <param name="Propagations">Assignments derived by unit propagation.</param>
/// <param name="Conflicts">Conflicts found (each resolved by learning an incompatibility).</param>
/// <param name="Backjumps">Times the solver undid decisions.</param>
/// <param name="PackagesFetched">Packages whose metadata was requested from the source.</param>
public sealed record ResolverStatistics(int Decisions, int Propagations, int Conflicts, int Backjumps, int PackagesFetched);

/// <summary>A successful resolution: one version per package.</summary>
public sealed class Resolution
{
    internal Resolution(IReadOnlyList<ResolvedPackage> packages, IReadOnlyList<KeyValuePair<string, SemanticVersion>> rootDependencies, ResolverStatistics statistics)
    {
        Packages = packages;
        RootDependencies = rootDependencies;
        Statistics = statistics;
    }

    /// <summary>Selected packages (the root excluded), sorted by name.</summary>
    public IReadOnlyList<ResolvedPackage> Packages { get; }

    /// <summary>The root's direct dependencies (dev-dependencies included) and their selected versions.</summary>
    public IReadOnlyList<KeyValuePair<string, SemanticVersion>> RootDependencies { get; }

    /// <summary>Selected version by package name.</summary>
    /// <remarks>Built on first use: most callers only walk <see cref="Packages"/>.</remarks>
    public IReadOnlyDictionary<string, SemanticVersion> Versions =>
        LazyInitializer.EnsureInitialized(ref _versions, () => Packages.ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal));

    private Dictionary<string, SemanticVersion>? _versions;

    /// <summary>How the solver got there.</summary>
    public ResolverStatistics Statistics { get; }
}
