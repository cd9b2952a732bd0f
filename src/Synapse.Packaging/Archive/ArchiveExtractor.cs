using System.Formats.Tar;

namespace Synapse.Packaging;

/// <summary>Extracts into a private folder next to the target, then swaps it in.</summary>
internal static class ArchiveExtractor
{
    private const UnixFileMode FileMode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode FileMode755 = FileMode644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static async Task<ArchiveInspection> ExtractAsync(Stream tgz, string targetDirectory, ArchiveLimits limits, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tgz);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        var parent = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"Cannot extract into the root folder '{target}'.", nameof(targetDirectory));
        if (File.Exists(target))
            throw new IOException($"Cannot extract into '{target}': it is a file, not a folder.");
        Directory.CreateDirectory(parent);

        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        var stagingRoot = staging + Path.DirectorySeparatorChar;
        // Entries arrive one at a time; remembering the folders made saves two system calls per file.
        var folders = new HashSet<string>(StringComparer.Ordinal) { staging };
        try
        {
            var inspection = await ArchiveReader.ReadAsync(tgz, limits, ManifestMode.Local,
                (path, entry, data, ct) => WriteFileAsync(stagingRoot, folders, path, entry, data, ct), cancellationToken).ConfigureAwait(false);
            if (expectedSha256 is not null && !Sha256.DigestsEqual(expectedSha256, inspection.Sha256))
                throw new PackageArchiveException(ArchiveErrorCodes.ChecksumMismatch,
                    $"the archive's SHA-256 is {inspection.Sha256}, but {expectedSha256} was expected; the download is corrupt or was altered. Delete it from the cache and download it again");
            cancellationToken.ThrowIfCancellationRequested();
            SwapIn(staging, target, parent);
            return inspection;
        }
        catch
        {
            TryDeleteDirectory(staging);
            throw;
        }
    }

    private static async ValueTask WriteFileAsync(string stagingRoot, HashSet<string> folders, string path, TarEntry entry, Stream data, CancellationToken cancellationToken)
    {
        var destination = Path.GetFullPath(stagingRoot + path.Replace('/', Path.DirectorySeparatorChar));
        // The path rules already forbid escaping; this guards the guard.
        if (!destination.StartsWith(stagingRoot, StringComparison.Ordinal))
            throw ArchiveReader.Invalid($"entry '{entry.Name}' would be written outside the package folder", entry.Name);
        var folder = Path.GetDirectoryName(destination)!;
        if (folders.Add(folder))
            Directory.CreateDirectory(folder);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = (entry.Mode & UnixFileMode.UserExecute) != 0 ? FileMode755 : FileMode644;
        var file = new FileStream(destination, options);
        await using (file.ConfigureAwait(false))
            await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
    }

    private static void SwapIn(string staging, string target, string parent)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        var old = Path.Combine(parent, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
        Directory.Move(target, old);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(old, target);
            throw;
        }
        TryDeleteDirectory(old);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden folder is harmless and never read.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
