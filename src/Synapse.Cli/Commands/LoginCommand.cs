using System.CommandLine;
using Spectre.Console;
using Synapse.Cli.Credentials;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class LoginCommand
{
    public static Command Create(CliApp app)
    {
        var token = new Option<string?>("--token") { Description = "Store this API token instead of logging in with a password" };
        var username = new Option<string?>("--username", "-u") { Description = "Username to log in as" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input" };
        var command = new Command("login", "Log in to the registry and store the token in credentials.toml") { token, username, passwordStdin };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var client = context.Client;
            string storedToken;
            string? user;
            DateTimeOffset? expiresAt;
            if (parse.GetValue(token) is { } given)
            {
                if (parse.GetValue(passwordStdin) || parse.GetValue(username) is not null)
                {
                    throw CliException.Usage("--token cannot be combined with --username or --password-stdin; give one or the other.");
                }
                client.Token = given.Trim();
                var verification = await client.VerifyAsync(cancellationToken);
                if (!verification.Valid)
                {
                    throw new CliException($"The registry at {context.Registry} does not accept this token. Create a new token and try again.");
                }
                (storedToken, user, expiresAt) = (given.Trim(), verification.Username, verification.ExpiresAt);
            }
            else
            {
                var (name, password) = ReadUsernameAndPassword(context, parse.GetValue(username), parse.GetValue(passwordStdin));
                client.Token = null;
                var result = await client.LoginAsync(name, password, cancellationToken);
                (storedToken, user, expiresAt) = (result.Token, result.User?.Username ?? name, result.ExpiresAt);
            }
            context.Credentials.Set(context.Registry, new StoredCredential(storedToken, user));
            context.Output.Line($"Logged in to {context.Registry} as {user ?? "(token)"}; the token is stored in {context.Credentials.FilePath}.");
            if (context.Environment.Variable("SYNAPSE_TOKEN") is not null)
            {
                context.Output.Warning("SYNAPSE_TOKEN is set and overrides the stored token until you unset it.");
            }
            context.Output.WriteJson(new LoginJson(context.Registry, user, expiresAt, context.Credentials.FilePath), CliJsonContext.Output.LoginJson);
            return ExitCodes.Ok;
        });
    }

    private static (string Username, string Password) ReadUsernameAndPassword(CommandContext context, string? username, bool passwordFromStdin)
    {
        var environment = context.Environment;
        if (passwordFromStdin)
        {
            if (username is null)
            {
                throw CliException.Usage("--password-stdin needs --username; or use --token.");
            }
            var password = environment.Input.ReadLine()?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                throw CliException.Usage("No password arrived on standard input. Pipe it in, e.g. `echo \"$PASS\" | synapse pkg login -u NAME --password-stdin`.");
            }
            return (username, password);
        }
        if (!environment.IsInteractive)
        {
            throw CliException.Usage("There is no terminal to ask for a password on. Use --token TOKEN, or --username NAME with --password-stdin.");
        }
        var console = environment.Console;
        username ??= console.Prompt(new TextPrompt<string>("Username:"));
        var secret = console.Prompt(new TextPrompt<string>("Password:").Secret());
        return (username, secret);
    }
}
