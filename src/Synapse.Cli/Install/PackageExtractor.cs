using System.Formats.Tar;
using System.IO.Compression;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Install;

/// <summary>Extracts a verified tarball into <c>synapse_packages/&lt;name&gt;</c> atomically (staging folder, then swap).</summary>
internal static class PackageExtractor
{
    public static async Task ExtractAsync(string tarballPath, string targetDirectory, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(targetDirectory)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(targetDirectory)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await using (var file = File.OpenRead(tarballPath))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            {
                using var reader = new TarReader(gzip);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (entry.EntryType is TarEntryType.Directory)
                    {
                        continue;
                    }
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    {
                        throw new CliException($"{Path.GetFileName(tarballPath)} holds '{entry.Name}', which is not a regular file; it was not installed.", code: "invalid_archive");
                    }
                    var name = entry.Name;
                    if (name.Contains('\\') || name.StartsWith('/') || name.Split('/').Any(s => s is ".." or "") || (name.Length > 1 && name[1] == ':'))
                    {
                        throw new CliException($"{Path.GetFileName(tarballPath)} holds the unsafe path '{name}'; it was not installed.", code: "invalid_archive");
                    }
                    var destination = Path.GetFullPath(Path.Combine(staging, name));
                    if (!destination.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new CliException($"{Path.GetFileName(tarballPath)} holds the unsafe path '{name}'; it was not installed.", code: "invalid_archive");
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    await using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(output, cancellationToken);
                    }
                }
            }
            var old = targetDirectory + $".old-{Guid.NewGuid():N}";
            if (Directory.Exists(targetDirectory))
            {
                Directory.Move(targetDirectory, old);
            }
            Directory.Move(staging, targetDirectory);
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            throw;
        }
    }
}
