using System.CommandLine;
using Synapse.Cli.Infrastructure;
using Synapse.Cli.Manifest;
using Synapse.Versioning;

namespace Synapse.Cli.Commands;

internal static class AddCommand
{
    public static Command Create(CliApp app)
    {
        var specs = new Argument<string[]>("NAME[@RANGE]") { Description = "Packages to depend on; without a range, ^<latest>", Arity = ArgumentArity.OneOrMore };
        var dev = new Option<bool>("--dev") { Description = "Add to [dev-dependencies]" };
        var command = new Command("add", "Add dependencies to synapse.toml") { specs, dev };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var editor = ManifestEditor.Load(Path.Combine(context.WorkingDirectory, "synapse.toml"));
            var section = parse.GetValue(dev) ? ManifestEditor.DevDependencies : ManifestEditor.Dependencies;
            var added = new List<AddedDependencyJson>();
            foreach (var text in parse.GetValue(specs)!)
            {
                var spec = PackageSpec.Parse(text);
                string range;
                if (spec.Version is { } given)
                {
                    if (!VersionRange.TryParse(given, out var parsed))
                    {
                        throw CliException.Usage($"'{given}' is not a version range. Use node-semver syntax such as ^1.2.0, ~1.2, >=1.0.0 <2.0.0 or 1.x.");
                    }
                    if (!context.Offline)
                    {
                        await EnsureAVersionMatchesAsync(context, spec.Name, parsed, cancellationToken);
                    }
                    range = given;
                }
                else
                {
                    var latest = await LatestVersionAsync(context, spec.Name, cancellationToken);
                    range = "^" + latest;
                }
                var previous = editor.SetDependency(section, spec.Name, range);
                added.Add(new AddedDependencyJson(spec.Name, range, section, previous));
                context.Output.Line(previous is null
                    ? $"Added {spec.Name} = \"{range}\" to [{section}]."
                    : $"Changed {spec.Name} from \"{previous}\" to \"{range}\" in [{section}].");
            }
            editor.Save();
            context.Output.Line("Run `synapse pkg install` to resolve and install.");
            context.Output.WriteJson(new AddedJson(added), CliJsonContext.Output.AddedJson);
            return ExitCodes.Ok;
        });
    }

    private static async Task EnsureAVersionMatchesAsync(CommandContext context, string name, VersionRange range, CancellationToken cancellationToken)
    {
        var versions = (await context.Client.GetVersionsAsync(name, null, cancellationToken)).Value.Versions;
        var releases = versions.Where(entry => !entry.Yanked).Select(entry => SemanticVersion.Parse(entry.Version)).ToList();
        if (range.MaxSatisfying(releases) is null)
        {
            var newest = releases.Count == 0 ? "it has no version that is not yanked" : $"its newest is {releases.Max()}";
            throw new CliException($"No version of {name} matches {range.Raw}: {newest}. synapse.toml was not changed; `synapse pkg info {name}` lists the versions.");
        }
    }

    private static async Task<string> LatestVersionAsync(CommandContext context, string name, CancellationToken cancellationToken)
    {
        if (context.Offline)
        {
            throw new CliException($"Adding {name} without a range needs the registry to find its latest version; give a range ({name}@^1.0.0) or drop --offline.");
        }
        var package = (await context.Client.GetPackageAsync(name, null, cancellationToken)).Value;
        return package.LatestVersion
            ?? throw new CliException($"{name} has no release that is not yanked; name a version range explicitly ({name}@RANGE).");
    }
}
