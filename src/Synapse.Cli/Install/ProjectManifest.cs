using Synapse.Cli.Infrastructure;
using Synapse.Cli.Manifest;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

/// <summary>The root project's own dependencies (runtime and dev), as installed by <c>synapse pkg install</c>.</summary>
internal sealed record ProjectManifest(string Path, IReadOnlyDictionary<string, VersionRange> Dependencies, IReadOnlyDictionary<string, VersionRange> DevDependencies)
{
    public IEnumerable<KeyValuePair<string, VersionRange>> All => Dependencies.Concat(DevDependencies);

    public static ProjectManifest Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, "synapse.toml");
        var editor = ManifestEditor.Load(path);
        return new ProjectManifest(path, Ranges(editor, ManifestEditor.Dependencies, path), Ranges(editor, ManifestEditor.DevDependencies, path));
    }

    private static Dictionary<string, VersionRange> Ranges(ManifestEditor editor, string section, string path)
    {
        var result = new Dictionary<string, VersionRange>(StringComparer.Ordinal);
        foreach (var (name, text) in editor.Read(section))
        {
            if (!VersionRange.TryParse(text, out var range))
            {
                throw new CliException($"{path}: [{section}] {name} = \"{text}\" is not a version range; use node-semver syntax such as ^1.2.0 or ~1.2.", code: "invalid_manifest");
            }
            PackageSpec.ValidateName(name);
            result[name] = range;
        }
        return result;
    }
}
