using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class InstallCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("install", "install"), (_, _, _) => throw new CliException("'install' is not available in this build yet."));
}
