using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class InfoCommand
{
    public static Command Create(CliApp app)
    {
        var target = new Argument<string>("NAME[@VERSION]") { Description = "The package, optionally one version" };
        var command = new Command("info", "Show a package or one of its versions") { target };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var spec = PackageSpec.Parse(parse.GetValue(target)!);
            var client = context.Client;
            var package = (await client.GetPackageAsync(spec.Name, null, cancellationToken)).Value;
            var version = spec.Version ?? package.LatestVersion;
            var detail = version is null ? null : (await client.GetVersionAsync(spec.Name, version, null, cancellationToken)).Value;
            if (context.Output.IsJson)
            {
                context.Output.WriteJson(new InfoJson(
                    package.Name,
                    package.LatestVersion,
                    package.Description,
                    package.License,
                    package.Keywords,
                    package.Repository,
                    package.Homepage,
                    package.Owners,
                    package.Downloads,
                    [.. package.Versions.Select(v => new VersionSummaryJson(v.Version, v.Yanked, v.PublishedAt))],
                    detail is null ? null : new VersionDetailJson(
                        detail.Version,
                        detail.Dependencies,
                        detail.DevDependencies,
                        detail.Sha256,
                        detail.Size,
                        detail.Yanked,
                        detail.YankedReason,
                        detail.PublishedAt,
                        detail.PublishedBy)), CliJsonContext.Output.InfoJson);
                return ExitCodes.Ok;
            }
            var output = context.Output;
            output.Result($"{package.Name} {version ?? "(no release)"}{(detail?.Yanked == true ? " (yanked" + (detail.YankedReason is null ? ")" : ": " + detail.YankedReason + ")") : "")}");
            if (package.Description is not null)
            {
                output.Result(package.Description);
            }
            output.Result($"latest: {package.LatestVersion ?? "none"}");
            output.Result($"license: {detail?.License ?? package.License ?? "unknown"}");
            if (package.Repository is not null)
            {
                output.Result($"repository: {package.Repository}");
            }
            if (package.Keywords.Count > 0)
            {
                output.Result($"keywords: {string.Join(", ", package.Keywords)}");
            }
            if (package.Owners.Count > 0)
            {
                output.Result($"owners: {string.Join(", ", package.Owners)}");
            }
            output.Result($"downloads: {package.Downloads:N0}");
            if (detail is not null)
            {
                output.Result($"published: {detail.PublishedAt:u}{(detail.PublishedBy is null ? "" : " by " + detail.PublishedBy)}");
                output.Result($"checksum: sha256:{detail.Sha256} ({detail.Size:N0} bytes)");
                output.Result(detail.Dependencies.Count == 0 ? "dependencies: none" : "dependencies:");
                foreach (var (name, range) in detail.Dependencies.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    output.Result($"  {name} {range}");
                }
            }
            output.Result($"versions: {string.Join(", ", package.Versions.Select(v => v.Yanked ? v.Version + " (yanked)" : v.Version))}");
            return ExitCodes.Ok;
        });
    }
}
