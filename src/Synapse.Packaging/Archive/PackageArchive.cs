namespace Synapse.Packaging;

/// <summary>
/// Package archives (<c>&lt;name&gt;-&lt;version&gt;.tgz</c>): deterministic packing, streaming inspection
/// and safe extraction. Every reader enforces the same rules (DESIGN §2) and fails with a
/// <see cref="PackageArchiveException"/> whose <see cref="PackageArchiveException.Code"/> is
/// <c>invalid_archive</c>, <c>invalid_manifest</c> or <c>payload_too_large</c> and whose message names the entry.
/// </summary>
public static class PackageArchive
{
    /// <summary>The readme text returned by inspection is cut to this many bytes of UTF-8 (512 KiB).</summary>
    public const int MaxReadmeBytes = 512 * 1024;

    /// <summary>
    /// Reads the archive once, forward-only, without touching the disk, and checks everything: gzip and tar
    /// structure, entry paths and types, duplicates, sizes, entry count, compression ratio (continuously, so a
    /// bomb stops early) and the manifest, held to the publishing rules (<see cref="ManifestMode.Publish"/>).
    /// </summary>
    /// <param name="tgz">The archive; read to its end, not disposed.</param>
    /// <param name="limits">Size and count limits.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="PackageArchiveException">The archive is rejected.</exception>
    public static Task<ArchiveInspection> InspectAsync(Stream tgz, ArchiveLimits limits, CancellationToken cancellationToken = default) =>
        InspectAsync(tgz, limits, ManifestMode.Publish, cancellationToken);

    /// <summary>As <see cref="InspectAsync(Stream, ArchiveLimits, CancellationToken)"/>, choosing the manifest rules.</summary>
    /// <exception cref="PackageArchiveException">The archive is rejected.</exception>
    public static Task<ArchiveInspection> InspectAsync(Stream tgz, ArchiveLimits limits, ManifestMode mode, CancellationToken cancellationToken = default) =>
        ArchiveReader.ReadAsync(tgz, limits, mode, onFile: null, cancellationToken);

    /// <summary>
    /// Extracts a package with the same checks as <see cref="InspectAsync(Stream, ArchiveLimits, CancellationToken)"/>
    /// (manifest held to <see cref="ManifestMode.Local"/> rules). Files are written into a fresh folder next to
    /// <paramref name="targetDirectory"/>, which then replaces the target (old one moved away, new one moved in,
    /// old one deleted). Nothing is written outside that fresh folder; on any error it is removed and the target
    /// is left as it was.
    /// </summary>
    /// <param name="tgz">The archive; read to its end, not disposed.</param>
    /// <param name="targetDirectory">The folder that will hold exactly the package's files.</param>
    /// <param name="limits">Size and count limits.</param>
    /// <param name="cancellationToken">Cancels the extraction (the target is then untouched).</param>
    /// <exception cref="PackageArchiveException">The archive is rejected.</exception>
    public static Task<ArchiveInspection> ExtractAsync(Stream tgz, string targetDirectory, ArchiveLimits limits, CancellationToken cancellationToken = default) =>
        ArchiveExtractor.ExtractAsync(tgz, targetDirectory, limits, expectedSha256: null, cancellationToken);

    /// <summary>
    /// As <see cref="ExtractAsync(Stream, string, ArchiveLimits, CancellationToken)"/>, also verifying the SHA-256
    /// of the bytes read in the same pass: on a mismatch nothing is swapped in and the error code is
    /// <c>checksum_mismatch</c>.
    /// </summary>
    /// <param name="tgz">The archive; read to its end, not disposed.</param>
    /// <param name="targetDirectory">The folder that will hold exactly the package's files.</param>
    /// <param name="limits">Size and count limits.</param>
    /// <param name="expectedSha256">The expected digest, hex or <c>sha256:</c> form.</param>
    /// <param name="cancellationToken">Cancels the extraction (the target is then untouched).</param>
    /// <exception cref="PackageArchiveException">The archive is rejected or its hash differs.</exception>
    public static Task<ArchiveInspection> ExtractAsync(Stream tgz, string targetDirectory, ArchiveLimits limits, string expectedSha256, CancellationToken cancellationToken = default)
    {
        if (!Sha256.TryParseChecksum(expectedSha256, out var expected))
            throw new ArgumentException($"\"{expectedSha256}\" is not a SHA-256 digest; expected 64 hex characters, optionally prefixed with \"sha256:\".", nameof(expectedSha256));
        return ArchiveExtractor.ExtractAsync(tgz, targetDirectory, limits, expected, cancellationToken);
    }

    /// <summary>
    /// Packs a package folder deterministically: gzip'd tar, <c>synapse.toml</c> first then the other files in
    /// ordinal path order, '/' separators, fixed mtime (1980-01-01), uid/gid 0, no owner names, mode 0644
    /// (0755 when the owner may execute the file), no folder entries, and a gzip header without time or OS.
    /// Left out: what <c>.synapseignore</c> (gitignore syntax) lists, <c>.git</c>, <c>.hg</c>, <c>.svn</c>
    /// and <c>synapse_packages</c> folders (at any depth), and <c>&lt;name&gt;-&lt;version&gt;.tgz</c> at the root (this
    /// very archive, when it is written into the package folder). Symbolic links are never packed: they are skipped and reported in
    /// <see cref="PackResult.Warnings"/>.
    /// </summary>
    /// <param name="packageDirectory">The folder holding <c>synapse.toml</c>.</param>
    /// <param name="destination">Receives the .tgz; not disposed.</param>
    /// <param name="cancellationToken">Cancels packing.</param>
    /// <exception cref="ManifestException">The manifest is invalid.</exception>
    /// <exception cref="PackageArchiveException">The folder cannot be packed (no manifest, unsafe file name, too large).</exception>
    public static Task<PackResult> PackAsync(string packageDirectory, Stream destination, CancellationToken cancellationToken = default) =>
        ArchivePacker.PackAsync(packageDirectory, destination, new ArchiveLimits(), cancellationToken);

    /// <summary>As <see cref="PackAsync(string, Stream, CancellationToken)"/>, checking the result against <paramref name="limits"/>.</summary>
    /// <exception cref="ManifestException">The manifest is invalid.</exception>
    /// <exception cref="PackageArchiveException">The folder cannot be packed.</exception>
    public static Task<PackResult> PackAsync(string packageDirectory, Stream destination, ArchiveLimits limits, CancellationToken cancellationToken = default) =>
        ArchivePacker.PackAsync(packageDirectory, destination, limits, cancellationToken);

    /// <summary>Lists what <see cref="PackAsync(string, Stream, CancellationToken)"/> would pack, in archive order, without writing anything.</summary>
    /// <exception cref="ManifestException">The manifest is invalid.</exception>
    /// <exception cref="PackageArchiveException">The folder cannot be packed.</exception>
    public static PackPlan PlanPack(string packageDirectory) => ArchivePacker.Plan(packageDirectory, new ArchiveLimits());

    /// <summary>The conventional archive file name, <c>&lt;name&gt;-&lt;version&gt;.tgz</c>.</summary>
    public static string FileNameFor(PackageManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return $"{manifest.Name}-{manifest.Version}.tgz";
    }
}
