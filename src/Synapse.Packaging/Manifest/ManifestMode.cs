namespace Synapse.Packaging;

/// <summary>Which rules a manifest is held to.</summary>
public enum ManifestMode
{
    /// <summary>Building and installing locally: <c>license</c> is optional.</summary>
    Local,
    /// <summary>Packing for and publishing to a registry: <c>license</c> is required.</summary>
    Publish,
}
