using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Synapse.Registry.Storage;

/// <summary>
/// Blobs as files under a root folder, fanned out by the first characters of the key (<c>ab/cd/abcd…</c>). A write goes
/// to a temporary file in the target folder and is renamed into place, so a reader never sees a partial blob.
/// </summary>
internal sealed class FileSystemBlobStore : IBlobStore, ILocalBlobStore
{
    private const string TempSuffix = ".tmp";
    private readonly string _root;

    public FileSystemBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new BlobInfo(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)) : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException)
        {
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (!Directory.Exists(_root))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                continue;
            }
            var file = new FileInfo(path);
            if (file.Exists)
            {
                yield return new BlobInfo(name, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
            }
        }
    }

    public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken) => Task.FromResult<Uri?>(null);

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"The storage folder '{_root}' does not exist.");
        }
        var probe = Path.Combine(_root, $".health.{Guid.NewGuid():N}{TempSuffix}");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken);
        File.Delete(probe);
    }

    public string? LocalPathOf(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? path : null;
    }

    public SafeFileHandle? OpenForReading(string key)
    {
        try
        {
            return File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string PathOf(string key)
    {
        if (!BlobKeys.IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));
        }
        return Path.Combine(_root, key[..2], key[2..4], key);
    }
}

/// <summary>A blob store whose blobs are local files, which the server can send without copying them through a stream.</summary>
internal interface ILocalBlobStore
{
    /// <summary>The blob's file, or null when it does not exist.</summary>
    string? LocalPathOf(string key);

    /// <summary>The blob's file opened for synchronous reads, or null when it does not exist.</summary>
    SafeFileHandle? OpenForReading(string key);
}

/// <summary>Blob keys are lowercase hex SHA-256 digests, which also keeps them safe as file names.</summary>
internal static class BlobKeys
{
    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string key) => key.Length == 64 && !key.AsSpan().ContainsAnyExcept(LowercaseHex);
}
