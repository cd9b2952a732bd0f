using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class OutdatedCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("outdated", "outdated"), (_, _, _) => throw new CliException("'outdated' is not available in this build yet."));
}
