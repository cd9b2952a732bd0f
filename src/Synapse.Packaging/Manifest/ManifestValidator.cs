namespace Synapse.Packaging;

/// <summary>Rules a parsed manifest must meet beyond parsing, before it may be published.</summary>
public static class ManifestValidator
{
    internal const string LicenseRequiredMessage =
        "a license is required to publish; add an SPDX expression such as license = \"MIT\" or \"MIT OR Apache-2.0\"";

    /// <summary>Returns every reason the manifest cannot be published (empty when it can).</summary>
    /// <param name="manifest">A manifest returned by <see cref="ManifestParser"/>.</param>
    /// <param name="filePath">The path shown in error messages.</param>
    public static IReadOnlyList<ManifestError> ValidateForPublish(PackageManifest manifest, string filePath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var errors = new List<ManifestError>();
        if (string.IsNullOrWhiteSpace(manifest.License))
            errors.Add(new ManifestError(filePath, manifest.PackageLine, "package.license", LicenseRequiredMessage));
        return errors;
    }

    /// <summary>Throws when the manifest cannot be published.</summary>
    /// <exception cref="ManifestException">Carries every reason.</exception>
    public static void EnsurePublishable(PackageManifest manifest, string filePath)
    {
        var errors = ValidateForPublish(manifest, filePath);
        if (errors.Count > 0)
            throw new ManifestException(errors);
    }
}
