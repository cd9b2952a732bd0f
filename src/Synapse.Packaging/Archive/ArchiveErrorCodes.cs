namespace Synapse.Packaging;

/// <summary>Stable machine codes carried by <see cref="PackageArchiveException.Code"/>.</summary>
public static class ArchiveErrorCodes
{
    /// <summary>Not a gzip'd tar, corrupt, or an entry breaks a safety rule.</summary>
    public const string InvalidArchive = "invalid_archive";
    /// <summary>The manifest is missing, duplicated or invalid.</summary>
    public const string InvalidManifest = "invalid_manifest";
    /// <summary>A size or count limit was exceeded.</summary>
    public const string PayloadTooLarge = "payload_too_large";
    /// <summary>The archive's SHA-256 differs from the one expected (lock file, registry).</summary>
    public const string ChecksumMismatch = "checksum_mismatch";
}
