using System.CommandLine;
using Spectre.Console;
using Synapse.Cli.Cache;
using Synapse.Cli.Infrastructure;
using Synapse.Cli.Install;
using Synapse.Versioning;

namespace Synapse.Cli.Commands;

internal static class OutdatedCommand
{
    public static Command Create(CliApp app) =>
        app.Handle(new Command("outdated", "Show dependencies with newer versions (wanted: newest in range; latest: newest release)"), async (context, _, cancellationToken) =>
        {
            var manifest = ProjectManifest.Load(context.WorkingDirectory);
            var lockFile = LockFile.Load(Path.Combine(context.WorkingDirectory, LockFile.FileName));
            var source = new RegistryPackageSource(context, new PackageCache(context.Environment.CacheDirectory));
            var rows = new List<(string Name, string Range, string? Current, string? Wanted, string? Latest, bool Dev)>();
            var dependencies = manifest.Dependencies.Select(d => (d.Key, d.Value, false)).Concat(manifest.DevDependencies.Select(d => (d.Key, d.Value, true)));
            var documents = await Task.WhenAll(dependencies.Select(async d =>
            {
                try
                {
                    return (d, doc: await source.GetAsync(d.Key, cancellationToken));
                }
                catch (MissingFromCacheException)
                {
                    throw new CliException($"--offline: the metadata of {d.Key} is not in the cache. Run once without --offline.", code: "offline_missing");
                }
            }));
            if (source.NotFound is [_, ..] notFound)
            {
                throw new CliException(source.NotFoundMessage(notFound), code: "not_found");
            }
            foreach (var ((name, range, dev), document) in documents)
            {
                var releases = document.Versions
                    .Where(v => !v.Yanked)
                    .Select(v => SemanticVersion.TryParse(v.Version, out var parsed) ? parsed : null)
                    .OfType<SemanticVersion>()
                    .ToList();
                var wanted = releases.Where(range.IsSatisfiedBy).DefaultIfEmpty().Max();
                var latest = releases.Where(v => !v.IsPrerelease).DefaultIfEmpty().Max();
                rows.Add((name, range.ToString(), lockFile?.Find(name)?.Version, wanted?.ToString(), latest?.ToString(), dev));
            }
            var outdated = rows.Where(r => r.Current is null || r.Current != r.Wanted || r.Current != r.Latest)
                .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
            if (context.Output.IsJson)
            {
                context.Output.WriteJson(
                    new OutdatedJson([.. outdated.Select(r => new OutdatedRowJson(r.Name, r.Range, r.Current, r.Wanted, r.Latest, r.Dev))]),
                    CliJsonContext.Output.OutdatedJson);
                return ExitCodes.Ok;
            }
            if (outdated.Count == 0)
            {
                context.Output.Result("All dependencies are up to date.");
                return ExitCodes.Ok;
            }
            if (context.Output.IsRich)
            {
                var table = new Table().AddColumns("Package", "Current", "Wanted", "Latest", "Range");
                foreach (var row in outdated)
                {
                    table.AddRow(Markup.Escape(row.Name + (row.Dev ? " (dev)" : "")), row.Current ?? "-", row.Wanted ?? "-", row.Latest ?? "-", Markup.Escape(row.Range));
                }
                context.Output.Render(table);
            }
            else
            {
                foreach (var row in outdated)
                {
                    context.Output.Result($"{row.Name}\tcurrent {row.Current ?? "-"}\twanted {row.Wanted ?? "-"}\tlatest {row.Latest ?? "-"}");
                }
            }
            return ExitCodes.Ok;
        });
}
