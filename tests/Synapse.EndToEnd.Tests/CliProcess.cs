using System.Diagnostics;

namespace Synapse.EndToEnd.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the built <c>synapse</c> CLI as a user would, with HOME and XDG folders pointed at a temp root.</summary>
public sealed class CliProcess(string home)
{
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["HOME"] = home,
        ["XDG_CONFIG_HOME"] = System.IO.Path.Combine(home, ".config"),
        ["XDG_CACHE_HOME"] = System.IO.Path.Combine(home, ".cache"),
    };

    public async Task<CliResult> RunAsync(string workingDirectory, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Artifacts.Path("Synapse.Cli", "synapse.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("SYNAPSE_TOKEN");
        start.Environment.Remove("SYNAPSE_REGISTRY");
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
