using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class PublishCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("publish", "publish"), (_, _, _) => throw new CliException("'publish' is not available in this build yet."));
}
