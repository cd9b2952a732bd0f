using System.CommandLine;
using Synapse.Cli.Credentials;
using Synapse.Protocol.Client;

namespace Synapse.Cli.Infrastructure;

/// <summary>What one command invocation works with: the environment, global settings and output.</summary>
internal sealed class CommandContext : IDisposable
{
    private RegistryClient? _client;

    public CommandContext(CliEnvironment environment, ParseResult parse, GlobalOptions options)
    {
        Environment = environment;
        Json = parse.GetValue(options.Json);
        Offline = parse.GetValue(options.Offline);
        Locked = parse.GetValue(options.Locked);
        Quiet = parse.GetValue(options.Quiet);
        Verbose = parse.GetValue(options.Verbose);
        Registry = ResolveRegistry(parse.GetValue(options.Registry) ?? environment.Variable("SYNAPSE_REGISTRY") ?? GlobalOptions.DefaultRegistry);
        Output = new Output(environment, Json, Quiet, Verbose);
        Credentials = new CredentialStore(Path.Combine(environment.ConfigDirectory, "credentials.toml"));
    }

    public CliEnvironment Environment { get; }
    public Output Output { get; }
    public CredentialStore Credentials { get; }
    public bool Json { get; }
    public bool Offline { get; }
    public bool Locked { get; }
    public bool Quiet { get; }
    public bool Verbose { get; }

    /// <summary>The registry address, normalized without a trailing slash; also the credentials key.</summary>
    public string Registry { get; }

    public string WorkingDirectory => Environment.WorkingDirectory;

    /// <summary>The token to send: <c>SYNAPSE_TOKEN</c>, else the stored credentials for this registry.</summary>
    public string? Token => Environment.Variable("SYNAPSE_TOKEN") ?? Credentials.Get(Registry)?.Token;

    /// <summary>A client for the registry; refuses under <c>--offline</c>.</summary>
    public RegistryClient Client
    {
        get
        {
            if (Offline)
            {
                throw new CliException("This command needs the registry, but --offline was given. Run it again without --offline.");
            }
            return _client ??= new RegistryClient(
                new RegistryClientOptions { BaseAddress = new Uri(Registry), Token = Token, Delay = Environment.Delay },
                Environment.HttpHandlerFactory?.Invoke());
        }
    }

    /// <summary>A client that must carry a token; fails with a hint to log in otherwise.</summary>
    public RegistryClient AuthenticatedClient
    {
        get
        {
            if (Token is null)
            {
                throw new CliException($"You are not logged in to {Registry}. Run `synapse pkg login` (or set SYNAPSE_TOKEN) and try again.");
            }
            return Client;
        }
    }

    private static string ResolveRegistry(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"'{text}' is not a registry address. Give an http:// or https:// URL, e.g. --registry {GlobalOptions.DefaultRegistry}.");
        }
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public void Dispose() => _client?.Dispose();
}
