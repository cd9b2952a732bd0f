using System.CommandLine;

namespace Synapse.Cli.Infrastructure;

/// <summary>Options accepted anywhere on the command line.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultRegistry = "http://localhost:5080";

    public Option<string?> Registry { get; } = new("--registry")
    {
        Description = "Registry address (default: $SYNAPSE_REGISTRY or " + DefaultRegistry + ")",
        Recursive = true,
    };
    public Option<bool> Offline { get; } = new("--offline") { Description = "Use only the local cache; never touch the network", Recursive = true };
    public Option<bool> Locked { get; } = new("--locked") { Description = "Fail if synapse.lock would change", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Print machine-readable JSON", Recursive = true };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only errors and the data asked for", Recursive = true };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Print more detail", Recursive = true };

    public IEnumerable<Option> All => [Registry, Offline, Locked, Json, Quiet, Verbose];
}
