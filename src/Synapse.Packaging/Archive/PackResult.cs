namespace Synapse.Packaging;

/// <summary>What packing would include, computed without writing anything.</summary>
/// <param name="Manifest">The validated manifest.</param>
/// <param name="Files">The files to pack, in archive order, with their sizes.</param>
/// <param name="Warnings">Things left out that the user may not expect (symbolic links), one sentence each.</param>
public sealed record PackPlan(PackageManifest Manifest, IReadOnlyList<ArchiveFile> Files, IReadOnlyList<string> Warnings)
{
    /// <summary>Total size of the files.</summary>
    public long UnpackedBytes => Files.Sum(f => f.Size);
}

/// <summary>The outcome of packing.</summary>
/// <param name="Manifest">The validated manifest.</param>
/// <param name="Files">The files packed, in archive order.</param>
/// <param name="Warnings">Things left out that the user may not expect (symbolic links), one sentence each.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the bytes written.</param>
/// <param name="CompressedBytes">Bytes written.</param>
public sealed record PackResult(PackageManifest Manifest, IReadOnlyList<ArchiveFile> Files, IReadOnlyList<string> Warnings, string Sha256, long CompressedBytes)
{
    /// <summary>Total size of the files.</summary>
    public long UnpackedBytes => Files.Sum(f => f.Size);
}
