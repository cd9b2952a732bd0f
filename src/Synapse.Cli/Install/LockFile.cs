using Synapse.Cli.Infrastructure;
using Synapse.Packaging;
using Synapse.Versioning;
using Locking = Synapse.Resolver.Locking;

namespace Synapse.Cli.Install;

/// <summary>One resolved package in <c>synapse.lock</c>.</summary>
internal sealed record LockedPackage(string Name, string Version, string Source, string Checksum, IReadOnlyList<string> Dependencies)
{
    /// <summary>Dependencies as (name, version) pairs, from the <c>"name version"</c> strings.</summary>
    public IEnumerable<(string Name, string Version)> DependencyPairs =>
        Dependencies.Select(d => d.Split(' ', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : ""));
}

/// <summary>
/// <c>synapse.lock</c> as the CLI uses it, read and written by Synapse.Resolver's lock file model (sorted and
/// deterministic: same resolution, same bytes; one changed package changes only its lines).
/// </summary>
internal sealed class LockFile
{
    public const string FileName = Locking.LockFile.FileName;

    public LockFile(IEnumerable<LockedPackage> packages)
    {
        Packages = packages
            .Select(p => p with { Dependencies = p.Dependencies.Order(StringComparer.Ordinal).ToList() })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<LockedPackage> Packages { get; }

    public LockedPackage? Find(string name) =>
        Packages.FirstOrDefault(p => PackageSpec.Canonical(p.Name) == PackageSpec.Canonical(name));

    public string Write() => new Locking.LockFile(Packages.Select(p =>
        new Locking.LockedPackage(p.Name, SemanticVersion.Parse(p.Version), p.Source, p.Checksum, p.Dependencies))).Write();

    public static LockFile? Load(string path) => File.Exists(path) ? Parse(File.ReadAllText(path), path) : null;

    public static LockFile Parse(string text, string path)
    {
        Locking.LockFile parsed;
        try
        {
            parsed = Locking.LockFile.Parse(text);
        }
        catch (Locking.LockFileException ex)
        {
            throw Invalid(path, ex.Message);
        }
        foreach (var package in parsed.Packages)
        {
            if (PackageName.Validate(package.Name) is { } problem)
            {
                throw Invalid(path, $"'{package.Name}' is not a package name ({problem})");
            }
            if (!Sha256.TryParseChecksum(package.Checksum, out _))
            {
                throw Invalid(path, $"the checksum of {package.Name} is not sha256:<64 hex digits>");
            }
        }
        return new LockFile(parsed.Packages.Select(p => new LockedPackage(p.Name, p.Version.ToString(), p.Source, p.Checksum, p.Dependencies)));
    }

    private static CliException Invalid(string path, string why) =>
        new($"{path} is damaged: {why}. Delete it and run `synapse pkg install` to write a new one.", code: "invalid_lock");
}
