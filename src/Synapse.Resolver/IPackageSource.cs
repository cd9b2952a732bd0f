using Synapse.Versioning;

namespace Synapse.Resolver;

/// <summary>Where the resolver learns which versions of a package exist and what they depend on.</summary>
public interface IPackageSource
{
    /// <summary>
    /// Every published version of <paramref name="name"/> (yanked ones included, flagged) with its
    /// dependencies; an empty list when no such package exists. Called at most once per package per resolution.
    /// The resolver keeps the list it is given: return one that is not changed afterwards.
    /// </summary>
    ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken);
}

/// <summary>A dependency on a package: its name, its range, and the range as the author spelled it.</summary>
public sealed record Requirement
{
    /// <summary>Creates a requirement; <paramref name="text"/> defaults to the range's normalized form.</summary>
    public Requirement(string name, VersionRange range, string? text = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(range);
        Name = name;
        Range = range;
        Text = text ?? range.ToString();
    }

    /// <summary>The package depended on.</summary>
    public string Name { get; }

    /// <summary>The acceptable versions.</summary>
    public VersionRange Range { get; }

    /// <summary>The range as written (for example <c>^1.2.0</c>), used in explanations.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="range"/> with node-semver syntax, keeping its spelling for explanations.</summary>
    public static Requirement Parse(string name, string range) => new(name, VersionRange.Parse(range), range.Trim());

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Text}";
}

/// <summary>One published version of a package, as the resolver sees it.</summary>
public sealed class PackageVersionInfo
{
    /// <summary>Creates the description of one version.</summary>
    public PackageVersionInfo(SemanticVersion version, IEnumerable<Requirement> dependencies, bool isYanked = false)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(dependencies);
        Version = version;
        IsYanked = isYanked;
        var byName = new Dictionary<string, Requirement>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            if (!byName.TryAdd(dependency.Name, dependency))
            {
                throw new ArgumentException($"{version} lists the dependency '{dependency.Name}' twice.", nameof(dependencies));
            }
        }
        Requirements = byName;
        Dependencies = byName.ToDictionary(p => p.Key, p => p.Value.Range, StringComparer.Ordinal);
        var sorted = new Requirement[byName.Count];
        byName.Values.CopyTo(sorted, 0);
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        SortedRequirements = sorted;
    }

    /// <summary>Creates the description of one version from dependency ranges.</summary>
    public PackageVersionInfo(SemanticVersion version, IReadOnlyDictionary<string, VersionRange> dependencies, bool isYanked = false)
        : this(version, (dependencies ?? throw new ArgumentNullException(nameof(dependencies))).Select(d => new Requirement(d.Key, d.Value)), isYanked)
    {
    }

    /// <summary>The version.</summary>
    public SemanticVersion Version { get; }

    /// <summary>Dependencies by package name.</summary>
    public IReadOnlyDictionary<string, VersionRange> Dependencies { get; }

    /// <summary>Dependencies by package name, with the ranges' original spelling.</summary>
    public IReadOnlyDictionary<string, Requirement> Requirements { get; }

    /// <summary>
    /// The requirements ordered by name, as pub does: explanations then read the same whatever order
    /// the manifest used. Sorted here, while the version is being built, so the solver reads one array.
    /// </summary>
    internal Requirement[] SortedRequirements { get; }

    /// <summary>Yanked versions are only chosen when the lock file already names them.</summary>
    public bool IsYanked { get; }

    /// <summary>Parses a version and its dependency ranges (node-semver syntax).</summary>
    public static PackageVersionInfo Parse(string version, IEnumerable<KeyValuePair<string, string>>? dependencies = null, bool isYanked = false) =>
        new(SemanticVersion.Parse(version), (dependencies ?? []).Select(d => Requirement.Parse(d.Key, d.Value)), isYanked);

    /// <inheritdoc />
    public override string ToString() => Version.ToString();
}
