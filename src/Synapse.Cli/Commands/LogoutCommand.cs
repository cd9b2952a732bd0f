using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class LogoutCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("logout", "Forget the stored token for the registry"), (context, _, _) =>
        {
            var removed = context.Credentials.Remove(context.Registry);
            context.Output.Line(removed
                ? $"Logged out of {context.Registry}."
                : $"No stored credentials for {context.Registry}; nothing to do.");
            if (context.Environment.Variable("SYNAPSE_TOKEN") is not null)
            {
                context.Output.Warning("SYNAPSE_TOKEN is still set in the environment and will keep being used; unset it to log out fully.");
            }
            context.Output.WriteJson(new LogoutJson(context.Registry, removed), CliJsonContext.Output.LogoutJson);
            return Task.FromResult(ExitCodes.Ok);
        });
}
