using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Synapse.Cli.Infrastructure;

/// <summary>Writes human output (Spectre on a terminal, plain lines otherwise), JSON for scripts, errors to stderr.</summary>
internal sealed class Output(CliEnvironment environment, bool json, bool quiet, bool verbose)
{
    public IAnsiConsole Console => environment.Console;

    public bool IsJson => json;

    /// <summary>True when progress bars and colours make sense (a terminal, not JSON, not quiet).</summary>
    public bool IsRich => environment.IsInteractive && !json && !quiet;

    /// <summary>A plain line of human output (suppressed by --quiet and --json).</summary>
    public void Line(string text)
    {
        if (!json && !quiet)
        {
            Raw(text);
        }
    }

    /// <summary>A line that is the command's actual result (suppressed only by --json).</summary>
    public void Result(string text)
    {
        if (!json)
        {
            Raw(text);
        }
    }

    public void Detail(string text)
    {
        if (verbose && !json && !quiet)
        {
            Raw(text);
        }
    }

    public void Render(IRenderable renderable)
    {
        if (!json)
        {
            Console.Write(renderable);
        }
    }

    /// <summary>The command's answer under --json; <paramref name="shape"/> comes from <see cref="CliJsonContext.Output"/>.</summary>
    public void WriteJson<T>(T value, JsonTypeInfo<T> shape)
    {
        if (json)
        {
            Raw(JsonSerializer.Serialize(value, shape));
        }
    }

    public void Warning(string text)
    {
        if (!quiet)
        {
            environment.Error.WriteLine("warning: " + text);
        }
    }

    public void Error(string text) => environment.Error.WriteLine("error: " + text);

    private void Raw(string text) => Console.Profile.Out.Writer.WriteLine(text);
}
