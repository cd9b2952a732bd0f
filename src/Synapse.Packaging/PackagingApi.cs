// API surface agreed between the packaging, registry and CLI work; bodies are filled in by the packaging work.
using Synapse.Versioning;

namespace Synapse.Packaging;

/// <summary>Limits applied wherever an archive is read.</summary>
public sealed record ArchiveLimits
{
    /// <summary>Largest accepted .tgz, in bytes (10 MiB).</summary>
    public long MaxCompressedBytes { get; init; } = 10 * 1024 * 1024;
    /// <summary>Largest total of unpacked file sizes, in bytes (50 MiB).</summary>
    public long MaxUnpackedBytes { get; init; } = 50 * 1024 * 1024;
    /// <summary>Most entries in one archive.</summary>
    public int MaxEntries { get; init; } = 10_000;
    /// <summary>Largest unpacked:compressed ratio.</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Throws when a limit is zero, negative or not a number, naming it.</summary>
    /// <exception cref="ArgumentException">A limit is not positive.</exception>
    public void EnsureValid()
    {
        if (MaxCompressedBytes <= 0)
            throw new ArgumentException($"{nameof(MaxCompressedBytes)} must be positive; it is {MaxCompressedBytes}.");
        if (MaxUnpackedBytes <= 0)
            throw new ArgumentException($"{nameof(MaxUnpackedBytes)} must be positive; it is {MaxUnpackedBytes}.");
        if (MaxEntries <= 0)
            throw new ArgumentException($"{nameof(MaxEntries)} must be positive; it is {MaxEntries}.");
        if (!(MaxCompressionRatio >= 1))
            throw new ArgumentException($"{nameof(MaxCompressionRatio)} must be at least 1; it is {MaxCompressionRatio}.");
    }
}

/// <summary>A parsed and validated <c>synapse.toml</c>.</summary>
public sealed class PackageManifest
{
    /// <summary>The package name as written.</summary>
    public required string Name { get; init; }
    /// <summary>The package version.</summary>
    public required SemanticVersion Version { get; init; }
    /// <summary>One-line description.</summary>
    public string? Description { get; init; }
    /// <summary>SPDX license expression.</summary>
    public string? License { get; init; }
    /// <summary>Authors.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];
    /// <summary>At most 5 keywords.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>Source repository address.</summary>
    public string? Repository { get; init; }
    /// <summary>Home page address.</summary>
    public string? Homepage { get; init; }
    /// <summary>Path of the readme inside the package.</summary>
    public string? Readme { get; init; }
    /// <summary>Runtime dependencies: name to range, in declaration order.</summary>
    public IReadOnlyDictionary<string, VersionRange> Dependencies { get; init; } = new Dictionary<string, VersionRange>();
    /// <summary>Dependencies of the package's own development.</summary>
    public IReadOnlyDictionary<string, VersionRange> DevDependencies { get; init; } = new Dictionary<string, VersionRange>();
    /// <summary>Line of the <c>[package]</c> header, for errors about missing keys found after parsing.</summary>
    internal int PackageLine { get; init; } = 1;
}

/// <summary>One problem in a manifest: where it is and what is allowed.</summary>
public sealed record ManifestError(string File, int Line, string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Key}: {Message}";
}

/// <summary>Thrown when a manifest is invalid; carries every error found.</summary>
public sealed class ManifestException(IReadOnlyList<ManifestError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    /// <summary>Every error found.</summary>
    public IReadOnlyList<ManifestError> Errors { get; } = errors;
}

/// <summary>Thrown when an archive is rejected. <see cref="Code"/> is a stable machine code.</summary>
public sealed class PackageArchiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PackageArchiveException(string code, string message, string? entryPath = null)
        : this(code, message, entryPath, innerException: null)
    {
    }

    /// <summary>Creates the exception with its cause (a <see cref="ManifestException"/> for manifest content errors).</summary>
    public PackageArchiveException(string code, string message, string? entryPath, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
        EntryPath = entryPath;
    }

    /// <summary><c>invalid_archive</c>, <c>invalid_manifest</c>, <c>payload_too_large</c> or <c>checksum_mismatch</c>.</summary>
    public string Code { get; }
    /// <summary>The offending entry, when there is one.</summary>
    public string? EntryPath { get; }
    /// <summary>For <c>invalid_manifest</c> caused by manifest content: every error found in it (also the
    /// <see cref="Exception.InnerException"/>, a <see cref="ManifestException"/>).</summary>
    public IReadOnlyList<ManifestError> ManifestErrors => (InnerException as ManifestException)?.Errors ?? [];
}

/// <summary>What reading an archive found, after every check passed.</summary>
public sealed record ArchiveInspection(PackageManifest Manifest, string? Readme, int EntryCount, long UnpackedBytes)
{
    /// <summary>Lowercase hex SHA-256 of every byte read from the stream.</summary>
    public string Sha256 { get; init; } = "";
    /// <summary>Bytes read from the stream (the .tgz size).</summary>
    public long CompressedBytes { get; init; }
    /// <summary>The regular files, in archive order, with '/'-separated paths.</summary>
    public IReadOnlyList<ArchiveFile> Files { get; init; } = [];
    /// <summary>Archive path of the file <see cref="Readme"/> was read from, if any.</summary>
    public string? ReadmePath { get; init; }
}

/// <summary>One regular file of an archive.</summary>
/// <param name="Path">Relative, '/'-separated path.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record ArchiveFile(string Path, long Size);
