using System.CommandLine;
using Spectre.Console;
using Synapse.Cli.Cache;
using Synapse.Cli.Infrastructure;
using Synapse.Packaging;
using Synapse.Protocol.Contracts;

namespace Synapse.Cli.Commands;

internal static class PublishCommand
{
    public static Command Create(CliApp app)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and pack, but do not upload" };
        var command = new Command("publish", "Check, pack and upload the package in the current folder") { dryRun };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var manifestPath = Path.Combine(context.WorkingDirectory, "synapse.toml");
            if (!File.Exists(manifestPath))
            {
                throw new CliException($"No synapse.toml in {context.WorkingDirectory}. Run `synapse pkg init` first, or cd into the package.");
            }
            var manifest = ManifestParser.ParseFile(manifestPath);
            ManifestValidator.EnsurePublishable(manifest, manifestPath);
            var client = parse.GetValue(dryRun) ? null : context.AuthenticatedClient;

            var cache = new PackageCache(context.Environment.CacheDirectory);
            var temporary = cache.NewTemporaryFile();
            try
            {
                PackResult packed;
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    packed = await PackageArchive.PackAsync(context.WorkingDirectory, stream, new ArchiveLimits(), cancellationToken);
                }
                await using (var check = File.OpenRead(temporary))
                {
                    await PackageArchive.InspectAsync(check, new ArchiveLimits(), cancellationToken);
                }
                foreach (var warning in packed.Warnings)
                {
                    context.Output.Warning(warning);
                }
                var fileName = PackageArchive.FileNameFor(packed.Manifest);
                var label = $"{packed.Manifest.Name}@{packed.Manifest.Version}";
                if (client is null)
                {
                    context.Output.Line($"Dry run: {label} is ready to publish ({packed.Files.Count} files, {packed.CompressedBytes:N0} bytes, sha256:{packed.Sha256}).");
                    context.Output.WriteJson(new PublishedJson(packed.Manifest.Name, packed.Manifest.Version.ToString(), packed.Sha256, packed.CompressedBytes, Published: false), CliJsonContext.Output.PublishedJson);
                    return ExitCodes.Ok;
                }
                VersionDocument published;
                await using (var upload = File.OpenRead(temporary))
                {
                    if (context.Output.IsRich)
                    {
                        published = await context.Output.Console.Progress().AutoClear(true).StartAsync(async progress =>
                        {
                            var task = progress.AddTask($"Uploading {fileName}", maxValue: Math.Max(1, packed.CompressedBytes));
                            return await client.PublishAsync(upload, fileName, packed.Sha256, new Progress<long>(sent => task.Value = sent), cancellationToken);
                        });
                    }
                    else
                    {
                        published = await client.PublishAsync(upload, fileName, packed.Sha256, null, cancellationToken);
                    }
                }
                context.Output.Line($"Published {label} to {context.Registry} (sha256:{packed.Sha256}, {packed.CompressedBytes:N0} bytes).");
                context.Output.WriteJson(new PublishedJson(
                    published.Name.Length > 0 ? published.Name : packed.Manifest.Name,
                    published.Version.Length > 0 ? published.Version : packed.Manifest.Version.ToString(),
                    packed.Sha256,
                    packed.CompressedBytes,
                    Published: true), CliJsonContext.Output.PublishedJson);
                return ExitCodes.Ok;
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        });
    }
}
