using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class ListCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("list", "list"), (_, _, _) => throw new CliException("'list' is not available in this build yet."));
}
