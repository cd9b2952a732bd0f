using Synapse.Packaging;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

/// <summary>The root project's own dependencies (runtime and dev), as installed by <c>synapse pkg install</c>.</summary>
internal sealed record ProjectManifest(string Path, PackageManifest Manifest, IReadOnlyDictionary<string, string> RangeText)
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
        var manifest = ManifestParser.ParseFile(path);
        var editor = Synapse.Cli.Manifest.ManifestEditor.Load(path);
        var text = editor.Read(Synapse.Cli.Manifest.ManifestEditor.DevDependencies)
            .Concat(editor.Read(Synapse.Cli.Manifest.ManifestEditor.Dependencies))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value.Trim(), StringComparer.Ordinal);
        return new ProjectManifest(path, manifest, text);
    }
}
