namespace Synapse.Cli.Infrastructure;

/// <summary>A failure to report as one line (what happened and what to do next) with an exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure, string code = "error") : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public string Code { get; } = code;

    public static CliException Usage(string message) => new(message, ExitCodes.Usage, "usage");
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
