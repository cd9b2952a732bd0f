using Spectre.Console.Testing;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Tests.Support;

/// <summary>Runs the CLI in-process against temp HOME/XDG folders, a test console and an optional fake registry.</summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "synapse-cli-tests", Guid.NewGuid().ToString("N"));
        Project = Path.Combine(Root, "project");
        Directory.CreateDirectory(Project);
        Variables["HOME"] = Path.Combine(Root, "home");
        Variables["XDG_CONFIG_HOME"] = Path.Combine(Root, "config");
        Variables["XDG_CACHE_HOME"] = Path.Combine(Root, "cache");
    }

    public string Root { get; }
    public string Project { get; set; }
    public Dictionary<string, string?> Variables { get; } = new();
    public FakeRegistry Registry { get; } = new();
    public string Stdin { get; set; } = "";
    public bool Interactive { get; set; }
    /// <summary>Use the real network stack instead of <see cref="Registry"/>.</summary>
    public bool RealNetwork { get; set; }
    /// <summary>Lines typed at prompts (a terminal session).</summary>
    public List<string> TypedLines { get; } = [];

    public string ConfigDirectory => Path.Combine(Variables["XDG_CONFIG_HOME"]!, "synapse");
    public string CacheDirectory => Path.Combine(Variables["XDG_CACHE_HOME"]!, "synapse");

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 200;
        if (TypedLines.Count > 0)
        {
            console.Interactive();
            foreach (var line in TypedLines)
            {
                console.Input.PushTextWithEnter(line);
            }
        }
        var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Console = console,
            Error = error,
            Input = new StringReader(Stdin),
            InputIsRedirected = true,
            IsInteractive = Interactive,
            WorkingDirectory = Project,
            GetVariable = name => Variables.GetValueOrDefault(name),
            HttpHandlerFactory = RealNetwork ? null : () => Registry,
            Delay = (_, _) => Task.CompletedTask,
        };
        var exit = await CliApp.RunAsync(args, environment);
        return new CliRun(exit, console.Output, error.ToString());
    }

    public string WriteManifest(string text)
    {
        var path = Path.Combine(Project, "synapse.toml");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
