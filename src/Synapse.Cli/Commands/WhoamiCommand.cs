using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class WhoamiCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("whoami", "Show who the registry thinks you are"), async (context, _, cancellationToken) =>
        {
            var client = context.AuthenticatedClient;
            var verification = await client.VerifyAsync(cancellationToken);
            if (!verification.Valid)
            {
                throw new CliException($"Your token for {context.Registry} is no longer valid. Run `synapse pkg login` again.");
            }
            var source = context.Environment.Variable("SYNAPSE_TOKEN") is not null ? "SYNAPSE_TOKEN" : "credentials";
            context.Output.Result(verification.Username ?? "(unknown user)");
            context.Output.Detail($"registry: {context.Registry}; token from {source}; expires {verification.ExpiresAt?.ToString("u") ?? "never"}; scopes: {string.Join(", ", verification.Scopes)}");
            context.Output.WriteJson(
                new WhoamiJson(context.Registry, verification.Username, verification.ExpiresAt, verification.Scopes, source),
                CliJsonContext.Output.WhoamiJson);
            return ExitCodes.Ok;
        });
}
