using System.CommandLine;
using Synapse.Cli.Infrastructure;
using Synapse.Cli.Manifest;

namespace Synapse.Cli.Commands;

internal static class RemoveCommand
{
    public static Command Create(CliApp app)
    {
        var names = new Argument<string[]>("NAME") { Description = "Dependencies to remove", Arity = ArgumentArity.OneOrMore };
        var command = new Command("remove", "Remove dependencies from synapse.toml") { names };
        return app.Handle(command, (context, parse, _) =>
        {
            var editor = ManifestEditor.Load(Path.Combine(context.WorkingDirectory, "synapse.toml"));
            var removed = new List<RemovedDependencyJson>();
            foreach (var name in parse.GetValue(names)!)
            {
                PackageSpec.ValidateName(name);
                var sections = editor.RemoveDependency(name);
                if (sections.Count == 0)
                {
                    throw new CliException($"{name} is not a dependency in {editor.FilePath}; nothing was changed.");
                }
                removed.Add(new RemovedDependencyJson(name, sections));
                context.Output.Line($"Removed {name} from [{string.Join("], [", sections)}].");
            }
            editor.Save();
            context.Output.Line("Run `synapse pkg install` to update synapse.lock and synapse_packages/.");
            context.Output.WriteJson(new RemovedJson(removed), CliJsonContext.Output.RemovedJson);
            return Task.FromResult(ExitCodes.Ok);
        });
    }
}
