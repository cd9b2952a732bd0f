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
                context.Output.WriteJson(new PackPlanJson(
                    plan.Manifest.Name,
                    plan.Manifest.Version.ToString(),
                    [.. plan.Files.Select(f => new PackFileJson(f.Path, f.Size))],
                    plan.UnpackedBytes,
                    plan.Warnings), CliJsonContext.Output.PackPlanJson);
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
                context.Output.WriteJson(new PackedJson(
                    result.Manifest.Name,
                    result.Manifest.Version.ToString(),
                    path,
                    result.Sha256,
                    result.CompressedBytes,
                    result.UnpackedBytes,
                    [.. result.Files.Select(f => f.Path)],
                    result.Warnings), CliJsonContext.Output.PackedJson);
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
