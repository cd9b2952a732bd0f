using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Synapse.Packaging;

/// <summary>
/// Reads a .tgz once, forward-only, enforcing every rule of DESIGN §2 as it goes, and hands each accepted
/// regular file to an optional handler (extraction). Nothing here touches the disk.
/// </summary>
internal static class ArchiveReader
{
    public delegate ValueTask FileHandler(string path, TarEntry entry, Stream data, CancellationToken cancellationToken);

    public const int MaxReadmeBytes = PackageArchive.MaxReadmeBytes;

    /// <summary>Below this many inflated bytes the ratio is not judged: tar headers and padding of small packages compress extremely well.</summary>
    private const long RatioFloorBytes = 1024 * 1024;

    /// <summary>Readme candidates buffered before the manifest is seen (archives not made by Synapse may put it late).</summary>
    private const long ReadmeCandidateBudget = 4 * 1024 * 1024;

    /// <summary>Tar header, pax record and padding bytes allowed per entry on top of its content.</summary>
    private const long HeaderAllowanceBytes = 1536;

    public static async Task<ArchiveInspection> ReadAsync(
        Stream tgz, ArchiveLimits limits, ManifestMode mode, FileHandler? onFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tgz);
        ArgumentNullException.ThrowIfNull(limits);
        limits.EnsureValid();

        using var hashing = new HashingReadStream(tgz, leaveOpen: true);
        var trailer = new GzipTrailerCheck();
        var raw = new MeteredReadStream(hashing, read =>
        {
            if (read > limits.MaxCompressedBytes)
                throw TooLarge($"the archive is larger than the {Bytes(limits.MaxCompressedBytes)} allowed compressed");
        }, trailer.ObserveCompressed);
        var maxInflated = limits.MaxUnpackedBytes + ((limits.MaxEntries + 1L) * HeaderAllowanceBytes) + RatioFloorBytes;
        var state = new ReadState(limits, mode, onFile);
        try
        {
            var magic = new byte[2];
            var magicLength = await raw.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (magicLength < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
                throw Invalid("the archive is not gzip-compressed; a package must be a gzip'd tar (.tgz)");

            await using var gzip = new GZipStream(new ConcatReadStream(magic, raw), CompressionMode.Decompress, leaveOpen: true);
            var inflated = new MeteredReadStream(gzip, read =>
            {
                // Headers of many small files compress far better than any content; judge the content.
                var content = read - ((state.EntriesSeen + 1) * HeaderAllowanceBytes);
                if (content > RatioFloorBytes && content > raw.BytesRead * limits.MaxCompressionRatio)
                    throw Invalid($"the archive inflates more than {limits.MaxCompressionRatio}:1 ({Bytes(read)} from {Bytes(raw.BytesRead)} so far); this looks like a decompression bomb");
                if (read > maxInflated)
                    throw TooLarge($"the archive inflates to more than the {Bytes(limits.MaxUnpackedBytes)} allowed unpacked");
            }, trailer.ObserveInflated);
            await using (var tar = new TarReader(inflated, leaveOpen: true))
            {
                while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    await state.AcceptAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            // Whatever follows the tar end marker still counts against the limits, the hash and the gzip check.
            await inflated.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            await raw.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            var which = state.LastEntry is null ? "the first entry" : $"the entry after '{state.LastEntry}'";
            throw Invalid($"{which} uses an unsupported tar feature ({ex.Message}); packages may contain only regular files");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            var where = state.LastEntry is null ? "" : $" after entry '{state.LastEntry}'";
            throw Invalid($"the archive is corrupt or truncated{where}: {ex.Message}", state.LastEntry);
        }
        if (!trailer.Matches())
            throw Invalid("the archive is truncated or corrupt: its gzip checksum does not match its content (only single-member gzip is accepted)");

        return state.Finish(hashing.GetHashHex(), hashing.BytesRead);
    }

    private sealed class ReadState(ArchiveLimits limits, ManifestMode mode, FileHandler? onFile)
    {
        private readonly ArchivePathSet _paths = new();
        private readonly List<ArchiveFile> _files = [];
        private readonly Dictionary<string, byte[]> _readmeCandidates = new(StringComparer.Ordinal);
        private long _readmeBudget = ReadmeCandidateBudget;
        private PackageManifest? _manifest;
        private string? _nestedManifest;
        private int _entries;
        private long _unpacked;

        public string? LastEntry { get; private set; }

        public int EntriesSeen => _entries;

        public async ValueTask AcceptAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            var name = entry.Name;
            LastEntry = name;
            if (++_entries > limits.MaxEntries)
                throw TooLarge($"the archive has more than the {limits.MaxEntries} entries allowed", name);

            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                return;
            var path = ArchivePath.Normalize(name);
            if (ArchivePath.Validate(path) is { } pathError)
                throw Invalid($"entry '{name}' is rejected: {pathError}", name);

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    return;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    break;
                case TarEntryType.SymbolicLink:
                    throw Invalid($"entry '{name}' is a symbolic link (to '{entry.LinkName}'); packages may contain only regular files", name);
                case TarEntryType.HardLink:
                    throw Invalid($"entry '{name}' is a hard link (to '{entry.LinkName}'); packages may contain only regular files", name);
                case TarEntryType.CharacterDevice:
                    throw Invalid($"entry '{name}' is a character device; packages may contain only regular files", name);
                case TarEntryType.BlockDevice:
                    throw Invalid($"entry '{name}' is a block device; packages may contain only regular files", name);
                case TarEntryType.Fifo:
                    throw Invalid($"entry '{name}' is a FIFO (named pipe); packages may contain only regular files", name);
                default:
                    throw Invalid($"entry '{name}' has the unsupported tar type {entry.EntryType}; packages may contain only regular files", name);
            }

            var isManifest = path == ManifestParser.FileName;
            if (isManifest && _manifest is not null)
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                    $"entry '{name}' is a second {ManifestParser.FileName} at the archive root; a package has exactly one", name);
            if (_paths.Add(path) is { } duplicate)
                throw Invalid($"entry '{name}' is rejected: {duplicate}", name);

            var size = entry.Length;
            if (size < 0)
                throw Invalid($"entry '{name}' has a negative size", name);
            _unpacked += size;
            if (_unpacked > limits.MaxUnpackedBytes)
                throw TooLarge($"the files add up to more than the {Bytes(limits.MaxUnpackedBytes)} allowed unpacked (at entry '{name}')", name);
            _files.Add(new ArchiveFile(path, size));

            var data = entry.DataStream ?? Stream.Null;
            if (isManifest)
            {
                var bytes = await ReadManifestAsync(name, size, data, cancellationToken).ConfigureAwait(false);
                if (onFile is not null)
                    await onFile(path, entry, new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
                return;
            }
            if (path.EndsWith("/" + ManifestParser.FileName, StringComparison.Ordinal))
                _nestedManifest ??= path;

            if (IsReadmeCandidate(path, size))
            {
                var keep = (int)Math.Min(size, MaxReadmeBytes);
                var prefix = new byte[keep];
                await data.ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
                _readmeCandidates[path] = prefix;
                if (_manifest is null)
                    _readmeBudget -= keep;
                data = keep == size ? new MemoryStream(prefix, writable: false) : new ConcatReadStream(prefix, data);
            }
            if (onFile is not null)
                await onFile(path, entry, data, cancellationToken).ConfigureAwait(false);
        }

        private bool IsReadmeCandidate(string path, long size)
        {
            if (_manifest is not null)
                return _manifest.Readme is { } named ? path == named : IsDefaultReadme(path);
            return IsDefaultReadme(path) || Math.Min(size, MaxReadmeBytes) <= _readmeBudget;
        }

        private static bool IsDefaultReadme(string path) =>
            path.Equals("README.md", StringComparison.OrdinalIgnoreCase) || path.Equals("README", StringComparison.OrdinalIgnoreCase);

        private async Task<byte[]> ReadManifestAsync(string name, long size, Stream data, CancellationToken cancellationToken)
        {
            if (size > ManifestParser.MaxManifestBytes)
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                    $"{ManifestParser.FileName} is {Bytes(size)}; at most {Bytes(ManifestParser.MaxManifestBytes)} are allowed", name);
            var bytes = new byte[size];
            await data.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest, $"{ManifestParser.FileName} is not valid UTF-8 text", name);
            }
            if (text.StartsWith('\uFEFF'))
                text = text[1..];
            if (!ManifestParser.TryParse(text, ManifestParser.FileName, mode, out var manifest, out var errors))
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                    $"{ManifestParser.FileName} in the archive is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}", name,
                    new ManifestException(errors));
            _manifest = manifest;
            // Candidates buffered before the manifest that it does not name are no longer needed.
            foreach (var path in _readmeCandidates.Keys.ToList())
            {
                if (!IsReadmeCandidate(path, 0))
                    _readmeCandidates.Remove(path);
            }
            return bytes;
        }

        public ArchiveInspection Finish(string sha256, long compressedBytes)
        {
            if (_manifest is null)
            {
                var hint = _nestedManifest is null
                    ? "add one at the archive root"
                    : $"found '{_nestedManifest}': package files must be at the archive root, not inside a folder";
                throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                    $"the archive has no {ManifestParser.FileName} at its root; {hint}");
            }

            string? readmePath;
            if (_manifest.Readme is { } named)
            {
                if (!_paths.Contains(named))
                    throw new PackageArchiveException(ArchiveErrorCodes.InvalidManifest,
                        $"{ManifestParser.FileName} names readme = \"{named}\", but the archive has no such file", ManifestParser.FileName);
                readmePath = named;
            }
            else
            {
                readmePath = _files.Select(f => f.Path).Where(IsDefaultReadme)
                    .OrderBy(p => p.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                    .FirstOrDefault();
            }
            string? readme = null;
            if (readmePath is not null && _readmeCandidates.TryGetValue(readmePath, out var readmeBytes))
                readme = Encoding.UTF8.GetString(readmeBytes);

            return new ArchiveInspection(_manifest, readme, _entries, _unpacked)
            {
                Sha256 = sha256,
                CompressedBytes = compressedBytes,
                Files = _files,
                ReadmePath = readmePath,
            };
        }
    }

    internal static PackageArchiveException Invalid(string message, string? entry = null) =>
        new(ArchiveErrorCodes.InvalidArchive, message, entry);

    internal static PackageArchiveException TooLarge(string message, string? entry = null) =>
        new(ArchiveErrorCodes.PayloadTooLarge, message, entry);

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        >= 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
