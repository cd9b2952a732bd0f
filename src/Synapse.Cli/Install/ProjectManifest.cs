using Synapse.Packaging;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

/// <summary>The root project's own dependencies (runtime and dev), as installed by <c>synapse pkg install</c>.</summary>
internal sealed record ProjectManifest(string Path, PackageManifest Manifest)
{
    public IReadOnlyDictionary<string, VersionRange> Dependencies => Manifest.Dependencies;

    public IReadOnlyDictionary<string, VersionRange> DevDependencies => Manifest.DevDependencies;

    public IEnumerable<KeyValuePair<string, VersionRange>> All => Dependencies.Concat(DevDependencies);

    /// <summary>Reads and validates <c>synapse.toml</c>; errors name the file, line and key.</summary>
    public static ProjectManifest Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, "synapse.toml");
        if (!File.Exists(path))
        {
            throw new Infrastructure.CliException($"No synapse.toml in {directory}. Run `synapse pkg init` to create one, or cd into your package.");
        }
        return new ProjectManifest(path, ManifestParser.ParseFile(path));
    }
}
