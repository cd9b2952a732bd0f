using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class PackCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("pack", "pack"), (_, _, _) => throw new CliException("'pack' is not available in this build yet."));
}
