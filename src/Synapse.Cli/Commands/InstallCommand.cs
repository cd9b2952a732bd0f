using System.CommandLine;
using Synapse.Cli.Infrastructure;
using Synapse.Cli.Install;

namespace Synapse.Cli.Commands;

internal static class InstallCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("install", "Resolve, write synapse.lock and install into synapse_packages/"), async (context, _, cancellationToken) =>
        {
            var report = await new Installer(context, Resolvers.Default).RunAsync(null, cancellationToken);
            Print(context, report);
            return ExitCodes.Ok;
        });

    internal static void Print(CommandContext context, InstallReport report)
    {
        var installed = report.Packages.Count(p => p.Action == "installed");
        context.Output.Line(report.UpToDate
            ? $"Up to date ({report.Packages.Count} {(report.Packages.Count == 1 ? "package" : "packages")})."
            : $"Installed {installed}, unchanged {report.Packages.Count - installed}, removed {report.Removed.Count}{(report.LockChanged ? "; synapse.lock updated" : "")}.");
        context.Output.WriteJson(new InstallJson(
            report.UpToDate,
            report.LockChanged,
            [.. report.Packages.Select(p => new InstalledJson(p.Name, p.Version, p.Action))],
            report.Removed,
            report.MetadataRequests,
            report.Downloads), CliJsonContext.Output.InstallJson);
    }
}
