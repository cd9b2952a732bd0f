using Synapse.Cli.Infrastructure;
using Synapse.Packaging;

namespace Synapse.Cli.Install;

/// <summary>
/// Extracts a tarball into <c>synapse_packages/&lt;name&gt;</c> with the archive rules of DESIGN §2, verifying its
/// SHA-256 in the same pass and that its manifest names the package and version that were locked.
/// </summary>
internal static class PackageExtractor
{
    // Most packages are a few tens of KiB: one read each instead of one per 4 KiB.
    private const int ReadBufferSize = 64 * 1024;

    public static async Task ExtractAsync(string tarballPath, string targetDirectory, LockedPackage package, CancellationToken cancellationToken)
    {
        ArchiveInspection inspection;
        await using (var stream = new FileStream(tarballPath, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize))
        {
            inspection = await PackageArchive.ExtractAsync(stream, targetDirectory, new ArchiveLimits(), package.Checksum, cancellationToken);
        }
        if (!PackageName.AreEquivalent(inspection.Manifest.Name, package.Name) || inspection.Manifest.Version.ToString() != package.Version)
        {
            Directory.Delete(targetDirectory, recursive: true);
            throw new CliException(
                $"The tarball for {package.Name} {package.Version} contains the manifest of {inspection.Manifest.Name} {inspection.Manifest.Version}; it was not installed. Report this to the registry's operators.",
                code: "invalid_archive");
        }
    }
}
