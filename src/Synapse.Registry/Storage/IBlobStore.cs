namespace Synapse.Registry.Storage;

/// <summary>
/// Stores package tarballs by key (derived from the tarball's SHA-256). Kept apart from the metadata store:
/// the database says which versions exist, the blob store only holds bytes.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes the blob; it becomes visible only once complete. Writing an existing key again is harmless.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the blob for reading, or null when it does not exist. The stream is seekable where the backend allows.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>The blob's size and time, or null when it does not exist.</summary>
    Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the blob; removing a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every blob, for the orphan sweep.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(CancellationToken cancellationToken);

    /// <summary>A time-limited direct download address, or null when the backend has none.</summary>
    Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Throws when the backend cannot be reached; used by the health endpoint.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>What the store knows about one blob.</summary>
public sealed record BlobInfo(string Key, long Length, DateTimeOffset LastModified);
