using System.Formats.Tar;
using MAB.DotIgnore;

namespace Synapse.Packaging;

/// <summary>Chooses the files of a package folder and writes them as a deterministic .tgz.</summary>
internal static class ArchivePacker
{
    public const string IgnoreFileName = ".synapseignore";
    public const string PackagesFolderName = "synapse_packages";

    /// <summary>1980-01-01T00:00:00Z, the earliest time every archive format can represent.</summary>
    public static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> VcsFolders = new([".git", ".hg", ".svn"], StringComparer.Ordinal);

    private const UnixFileMode RegularMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private sealed record SourceFile(string Path, string FullPath, long Size, bool Executable);

    private sealed record Selection(PackageManifest Manifest, List<SourceFile> Files, List<string> Warnings);

    public static PackPlan Plan(string packageDirectory, ArchiveLimits limits)
    {
        var selection = Select(packageDirectory, limits);
        return new PackPlan(selection.Manifest, [.. selection.Files.Select(f => new ArchiveFile(f.Path, f.Size))], selection.Warnings);
    }

    public static async Task<PackResult> PackAsync(string packageDirectory, Stream destination, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var selection = Select(packageDirectory, limits);
        var hashing = new HashingWriteStream(destination);
        await using (hashing.ConfigureAwait(false))
        {
            var gzip = new DeterministicGzipStream(hashing);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    foreach (var file in selection.Files)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (file.Size == 0)
                        {
                            // Never opened: a FIFO or device looks like an empty file and would block or never end.
                            await tar.WriteEntryAsync(CreateEntry(file), cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                        var data = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                        await using (data.ConfigureAwait(false))
                        {
                            if (data.Length != file.Size)
                                throw new IOException($"'{file.Path}' changed while it was being packed; pack again.");
                            var entry = CreateEntry(file);
                            entry.DataStream = data;
                            await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                await gzip.FinishAsync(cancellationToken).ConfigureAwait(false);
            }
            return new PackResult(selection.Manifest, [.. selection.Files.Select(f => new ArchiveFile(f.Path, f.Size))],
                selection.Warnings, hashing.GetHashHex(), hashing.BytesWritten);
        }
    }

    /// <summary>
    /// Short ASCII paths go in a plain ustar header; anything else needs a pax header, whose records are
    /// given explicitly so no clock or owner value can leak in.
    /// </summary>
    private static PosixTarEntry CreateEntry(SourceFile file)
    {
        PosixTarEntry entry = file.Path.Length <= 100 && file.Path.All(char.IsAscii)
            ? new UstarTarEntry(TarEntryType.RegularFile, file.Path)
            : new PaxTarEntry(TarEntryType.RegularFile, file.Path, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["path"] = file.Path,
                ["mtime"] = FixedTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        entry.ModificationTime = FixedTime;
        entry.Mode = file.Executable ? ExecutableMode : RegularMode;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        return entry;
    }

    private static Selection Select(string packageDirectory, ArchiveLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packageDirectory);
        ArgumentNullException.ThrowIfNull(limits);
        limits.EnsureValid();
        var root = Path.GetFullPath(packageDirectory);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The package folder '{root}' does not exist.");
        var manifestPath = Path.Combine(root, ManifestParser.FileName);
        if (!File.Exists(manifestPath))
            throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                $"'{root}' has no {ManifestParser.FileName}; create one (synapse pkg init) or pack the folder that has it", ManifestParser.FileName);
        var manifest = ManifestParser.ParseFile(manifestPath);

        var ignore = new IgnoreList();
        var ignorePath = Path.Combine(root, IgnoreFileName);
        if (File.Exists(ignorePath))
            ignore.AddRules(File.ReadAllLines(ignorePath).Where(line => line.Trim().Length > 0));

        var files = new List<SourceFile>();
        var warnings = new List<string>();
        var paths = new ArchivePathSet();
        // The archive being written may sit in the package folder itself (`synapse pkg pack` in place).
        var ownArchive = PackageArchive.FileNameFor(manifest);
        Walk(new DirectoryInfo(root), "", path => path == ownArchive || ignore.IsIgnored(path, false), path => ignore.IsIgnored(path, true), files, warnings, paths);

        var manifestFile = files.Find(f => f.Path == ManifestParser.FileName)
            ?? throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                $"{ManifestParser.FileName} is excluded by {IgnoreFileName}; a package must include its manifest", ManifestParser.FileName);
        if (manifest.Readme is { } readme && !paths.Contains(readme))
            throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                $"{ManifestParser.FileName} names readme = \"{readme}\", but that file is missing or excluded by {IgnoreFileName}", readme);

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        files.Remove(manifestFile);
        files.Insert(0, manifestFile);

        if (files.Count > limits.MaxEntries)
            throw new PackageArchiveException(ArchiveErrorCodes.PayloadTooLarge,
                $"the package has {files.Count} files; at most {limits.MaxEntries} are allowed. List build output and test data in {IgnoreFileName}");
        var total = files.Sum(f => f.Size);
        if (total > limits.MaxUnpackedBytes)
        {
            var largest = string.Join(", ", files.OrderByDescending(f => f.Size).Take(3).Select(f => $"{f.Path} ({ArchiveReader.Bytes(f.Size)})"));
            throw new PackageArchiveException(ArchiveErrorCodes.PayloadTooLarge,
                $"the package files add up to {ArchiveReader.Bytes(total)}; at most {ArchiveReader.Bytes(limits.MaxUnpackedBytes)} are allowed. Largest: {largest}. List what is not needed in {IgnoreFileName}");
        }
        return new Selection(manifest, files, warnings);
    }

    private static void Walk(DirectoryInfo directory, string prefix, Func<string, bool> isIgnoredFile, Func<string, bool> isIgnoredFolder,
        List<SourceFile> files, List<string> warnings, ArchivePathSet paths)
    {
        foreach (var item in directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var path = prefix + item.Name;
            var isDirectory = item is DirectoryInfo;
            if (item.LinkTarget is not null)
            {
                if (!(isDirectory ? isIgnoredFolder(path) : isIgnoredFile(path)))
                    warnings.Add($"skipped '{path}': it is a symbolic link, and packages contain only regular files");
                continue;
            }
            if (isDirectory)
            {
                if (VcsFolders.Contains(item.Name) || item.Name == PackagesFolderName || isIgnoredFolder(path))
                    continue;
                Walk((DirectoryInfo)item, path + "/", isIgnoredFile, isIgnoredFolder, files, warnings, paths);
                continue;
            }
            if (isIgnoredFile(path))
                continue;
            if ((item.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0)
            {
                warnings.Add($"skipped '{path}': it is not a regular file");
                continue;
            }
            if (ArchivePath.Validate(path) is { } pathError)
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidArchive,
                    $"cannot pack '{path}': {pathError}. Rename it or list it in {IgnoreFileName}", path);
            if (paths.Add(path) is { } collision)
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidArchive,
                    $"cannot pack '{path}': {collision}. Rename one of them or list it in {IgnoreFileName}", path);
            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(item.FullName) & UnixFileMode.UserExecute) != 0;
            files.Add(new SourceFile(path, item.FullName, ((FileInfo)item).Length, executable));
        }
    }
}
