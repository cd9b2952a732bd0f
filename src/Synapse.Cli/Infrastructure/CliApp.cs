using System.CommandLine;
using System.Net;
using Synapse.Cli.Commands;
using Synapse.Packaging;
using Synapse.Protocol.Client;

namespace Synapse.Cli.Infrastructure;

/// <summary>Builds the command tree and runs one command line, turning every failure into one line and an exit code.</summary>
internal sealed class CliApp(CliEnvironment environment)
{
    public GlobalOptions Globals { get; } = new();

    public CliEnvironment Environment => environment;

    public static Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default) =>
        new CliApp(environment).RunAsync(args, cancellationToken);

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var messages = parse.Errors.Select(e => e.Message).ToList();
            if (parse.UnmatchedTokens.Count > 0 && messages.Count > 1)
            {
                // An unknown verb also yields "Required command was not provided"; naming the unknown word says it all.
                messages.RemoveAll(m => !parse.UnmatchedTokens.Any(token => m.Contains($"'{token}'", StringComparison.Ordinal)));
            }
            foreach (var message in messages)
            {
                environment.Error.WriteLine("error: " + message);
            }
            environment.Error.WriteLine("Run `synapse pkg --help` to see the commands and their options.");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = environment.Console.Profile.Out.Writer,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    public RootCommand BuildRoot()
    {
        var root = new RootCommand("Synapse: publish and install Synapse packages.");
        foreach (var option in Globals.All)
        {
            root.Options.Add(option);
        }
        var pkg = new Command("pkg", "Work with packages: manifests, dependencies, the registry.")
        {
            InitCommand.Create(this),
            AddCommand.Create(this),
            RemoveCommand.Create(this),
            InstallCommand.Create(this),
            UpdateCommand.Create(this),
            PublishCommand.Create(this),
            PackCommand.Create(this),
            SearchCommand.Create(this),
            InfoCommand.Create(this),
            ListCommand.Create(this),
            OutdatedCommand.Create(this),
            LoginCommand.Create(this),
            LogoutCommand.Create(this),
            WhoamiCommand.Create(this),
            YankCommand.Create(this, yank: true),
            YankCommand.Create(this, yank: false),
            OwnerCommand.Create(this),
            CacheCommand.Create(this),
        };
        root.Subcommands.Add(pkg);
        return root;
    }

    /// <summary>Attaches <paramref name="handler"/> to <paramref name="command"/> with uniform error handling.</summary>
    public Command Handle(Command command, Func<CommandContext, ParseResult, CancellationToken, Task<int>> handler)
    {
        command.SetAction((parse, cancellationToken) => InvokeAsync(parse, handler, cancellationToken));
        return command;
    }

    private async Task<int> InvokeAsync(ParseResult parse, Func<CommandContext, ParseResult, CancellationToken, Task<int>> handler, CancellationToken cancellationToken)
    {
        CommandContext? context = null;
        var json = parse.GetValue(Globals.Json);
        try
        {
            context = new CommandContext(environment, parse, Globals);
            return await handler(context, parse, cancellationToken);
        }
        catch (Exception ex)
        {
            var (code, message, exit) = Describe(ex, HadToken(context));
            environment.Error.WriteLine("error: " + message);
            if (parse.GetValue(Globals.Verbose) && exit == ExitCodes.Failure && code == "internal")
            {
                environment.Error.WriteLine(ex.ToString());
            }
            if (json)
            {
                environment.Console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                    new ErrorJson(new ErrorDetailJson(code, message, exit)), CliJsonContext.Output.ErrorJson));
            }
            return exit;
        }
        finally
        {
            context?.Dispose();
        }
    }

    private static bool HadToken(CommandContext? context)
    {
        try
        {
            return context?.Token is not null;
        }
        catch (CliException)
        {
            return false;
        }
    }

    internal static (string Code, string Message, int ExitCode) Describe(Exception ex, bool hadToken) => ex switch
    {
        CliException cli => (cli.Code, cli.Message, cli.ExitCode),
        RegistryException { StatusCode: HttpStatusCode.Unauthorized } registry => (registry.Code,
            hadToken
                ? $"{registry.Message.TrimEnd('.')}. Your token was refused (expired or revoked?): run `synapse pkg login` again."
                : $"{registry.Message.TrimEnd('.')}. Log in first with `synapse pkg login`.",
            ExitCodes.Failure),
        RegistryException registry => (registry.Code, registry.Message, ExitCodes.Failure),
        ManifestException manifest => ("invalid_manifest",
            string.Join(System.Environment.NewLine, manifest.Errors.Select(e => e.ToString())) + System.Environment.NewLine + "Fix the manifest and try again.",
            ExitCodes.Failure),
        PackageArchiveException archive => (archive.Code,
            archive.EntryPath is null ? archive.Message : $"{archive.Message} (entry '{archive.EntryPath}')",
            ExitCodes.Failure),
        OperationCanceledException => ("cancelled", "Cancelled.", 130),
        UnauthorizedAccessException or IOException => ("io_error", $"{ex.Message} Check the path and its permissions.", ExitCodes.Failure),
        _ => ("internal", $"Unexpected failure: {ex.GetType().Name}: {ex.Message}. Re-run with --verbose for details and report it.", ExitCodes.Failure),
    };
}
