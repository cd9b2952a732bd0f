using System.CommandLine;
using Synapse.Cli.Infrastructure;
using Synapse.Packaging;

namespace Synapse.Cli.Commands;

internal static class PackCommand
{
    public static Command Create(CliApp app)
    {
        var output = new Option<string?>("--out", "-o") { Description = "Folder to write <name>-<version>.tgz into (default: the current folder)" };
        var list = new Option<bool>("--list") { Description = "Only list the files that would be packed" };
        var command = new Command("pack", "Make the package's .tgz deterministically (same sources, same bytes)") { output, list };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            if (parse.GetValue(list))
            {
                var plan = PackageArchive.PlanPack(context.WorkingDirectory);
                foreach (var warning in plan.Warnings)
                {
                    context.Output.Warning(warning);
                }
                foreach (var file in plan.Files)
                {
                    context.Output.Result(file.Path);
                }
                context.Output.WriteJson(new
                {
                    name = plan.Manifest.Name,
                    version = plan.Manifest.Version.ToString(),
                    files = plan.Files.Select(f => new { path = f.Path, size = f.Size }),
                    unpacked_bytes = plan.UnpackedBytes,
                    warnings = plan.Warnings,
                });
                return ExitCodes.Ok;
            }
            var directory = Path.GetFullPath(parse.GetValue(output) ?? ".", context.WorkingDirectory);
            Directory.CreateDirectory(directory);
            var temporary = Path.Combine(directory, $".synapse-pack-{Guid.NewGuid():N}.tmp");
            try
            {
                PackResult result;
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    result = await PackageArchive.PackAsync(context.WorkingDirectory, stream, cancellationToken);
                }
                var path = Path.Combine(directory, PackageArchive.FileNameFor(result.Manifest));
                File.Move(temporary, path, overwrite: true);
                foreach (var warning in result.Warnings)
                {
                    context.Output.Warning(warning);
                }
                foreach (var archive in result.Files.Where(f => f.Path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)))
                {
                    context.Output.Warning($"{archive.Path} was packed too; add `*.tgz` to .synapseignore (or use --out) so earlier archives stay out.");
                }
                context.Output.Line($"Packed {result.Manifest.Name} {result.Manifest.Version}: {path}");
                context.Output.Line($"{result.Files.Count} files, {result.UnpackedBytes:N0} bytes unpacked, {result.CompressedBytes:N0} bytes packed, sha256:{result.Sha256}");
                context.Output.WriteJson(new
                {
                    name = result.Manifest.Name,
                    version = result.Manifest.Version.ToString(),
                    path,
                    sha256 = result.Sha256,
                    size = result.CompressedBytes,
                    unpacked_bytes = result.UnpackedBytes,
                    files = result.Files.Select(f => f.Path),
                    warnings = result.Warnings,
                });
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
