using System.CommandLine;
using Synapse.Cli.Infrastructure;
using Synapse.Cli.Install;

namespace Synapse.Cli.Commands;

internal static class UpdateCommand
{
    public static Command Create(CliApp app)
    {
        var names = new Argument<string[]>("NAME") { Description = "Packages to update (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("update", "Re-resolve to the newest allowed versions and install") { names };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var unlock = parse.GetValue(names) ?? [];
            foreach (var name in unlock)
            {
                PackageSpec.ValidateName(name);
            }
            var report = await new Installer(context, Resolvers.Default).RunAsync(unlock, cancellationToken);
            InstallCommand.Print(context, report);
            return ExitCodes.Ok;
        });
    }
}
