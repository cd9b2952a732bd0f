using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class UpdateCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("update", "update"), (_, _, _) => throw new CliException("'update' is not available in this build yet."));
}
