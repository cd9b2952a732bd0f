using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class YankCommand
{
    public static Command Create(CliApp app, bool yank)
    {
        var target = new Argument<string>("NAME@VERSION") { Description = "The version to " + (yank ? "yank" : "restore") };
        var reason = new Option<string?>("--reason") { Description = "Why the version is yanked (shown to users)" };
        var command = yank
            ? new Command("yank", "Stop new resolutions from choosing a version (existing lock files keep working)") { target, reason }
            : new Command("unyank", "Make a yanked version available to new resolutions again") { target };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var spec = PackageSpec.Parse(parse.GetValue(target)!, versionRequired: true);
            var client = context.AuthenticatedClient;
            if (yank)
            {
                await client.YankAsync(spec.Name, spec.Version!, parse.GetValue(reason), cancellationToken);
                context.Output.Line($"Yanked {spec.Name}@{spec.Version}.");
            }
            else
            {
                await client.UnyankAsync(spec.Name, spec.Version!, cancellationToken);
                context.Output.Line($"Unyanked {spec.Name}@{spec.Version}.");
            }
            context.Output.WriteJson(new YankJson(spec.Name, spec.Version, yank, yank ? parse.GetValue(reason) : null), CliJsonContext.Output.YankJson);
            return ExitCodes.Ok;
        });
    }
}
