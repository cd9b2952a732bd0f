using Spectre.Console;

namespace Synapse.Cli.Infrastructure;

/// <summary>Everything a command touches outside its arguments, injectable for tests.</summary>
internal sealed class CliEnvironment
{
    public required IAnsiConsole Console { get; init; }
    public required TextWriter Error { get; init; }
    public TextReader Input { get; init; } = TextReader.Null;
    public bool InputIsRedirected { get; init; }
    public bool IsInteractive { get; init; }
    public required string WorkingDirectory { get; init; }
    public required Func<string, string?> GetVariable { get; init; }
    /// <summary>Replaces the network stack in tests.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    public static CliEnvironment FromProcess() => new()
    {
        Console = AnsiConsole.Console,
        Error = System.Console.Error,
        Input = System.Console.In,
        InputIsRedirected = System.Console.IsInputRedirected,
        IsInteractive = !System.Console.IsOutputRedirected && !System.Console.IsInputRedirected,
        WorkingDirectory = Directory.GetCurrentDirectory(),
        GetVariable = Environment.GetEnvironmentVariable,
    };

    public string? Variable(string name) => GetVariable(name) is { Length: > 0 } value ? value : null;

    public string HomeDirectory => Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public string ConfigDirectory => Path.Combine(Variable("XDG_CONFIG_HOME") ?? Path.Combine(HomeDirectory, ".config"), "synapse");

    public string CacheDirectory => Path.Combine(Variable("XDG_CACHE_HOME") ?? Path.Combine(HomeDirectory, ".cache"), "synapse");
}
