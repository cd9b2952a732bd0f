using System.Security.Cryptography;
using Synapse.Registry.Storage;

namespace Synapse.Registry.Tests.Specifications;

/// <summary>
/// What every <see cref="IBlobStore"/> must do. A backend's test class inherits this and implements
/// <see cref="CreateStore"/> (a fresh, empty store per test class instance).
/// </summary>
public abstract class BlobStoreSpecification
{
    internal abstract IBlobStore CreateStore();

    private IBlobStore? _store;

    internal IBlobStore Store => _store ??= CreateStore();

    protected static (string Key, byte[] Data) NewBlob(int size = 4096)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        return (Convert.ToHexStringLower(SHA256.HashData(data)), data);
    }

    private async Task<byte[]?> ReadAllAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key, CancellationToken.None);
        if (stream is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_stored_blob_reads_back_byte_for_byte_with_its_length()
    {
        var (key, data) = NewBlob(100_000);
        await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        Assert.Equal(data, await ReadAllAsync(key));
        var info = await Store.GetInfoAsync(key, CancellationToken.None);
        Assert.Equal(data.Length, info?.Length);
        Assert.Equal(key, info?.Key);
    }

    [Fact]
    public async Task A_missing_blob_is_null_and_deleting_it_is_harmless()
    {
        var (key, _) = NewBlob();
        Assert.Null(await Store.OpenReadAsync(key, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        await Store.DeleteAsync(key, CancellationToken.None);
    }

    [Fact]
    public async Task Writing_the_same_key_again_is_harmless()
    {
        var (key, data) = NewBlob();
        await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        Assert.Equal(data, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Concurrent_writes_of_one_key_leave_one_complete_blob()
    {
        var (key, data) = NewBlob(200_000);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.PutAsync(key, new MemoryStream(data), CancellationToken.None))));
        Assert.Equal(data, await ReadAllAsync(key));
        Assert.Single(await ListAsync(), b => b.Key == key);
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_nothing_visible()
    {
        var (key, data) = NewBlob(50_000);
        await Assert.ThrowsAnyAsync<IOException>(() => Store.PutAsync(key, new FailingStream(data, failAfter: 20_000), CancellationToken.None));
        Assert.Null(await Store.OpenReadAsync(key, CancellationToken.None));
        Assert.DoesNotContain(await ListAsync(), b => b.Key == key);
    }

    [Fact]
    public async Task A_deleted_blob_is_gone()
    {
        var (key, data) = NewBlob();
        await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        await Store.DeleteAsync(key, CancellationToken.None);
        Assert.Null(await Store.OpenReadAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Listing_returns_every_blob_with_its_length()
    {
        var blobs = Enumerable.Range(0, 5).Select(i => NewBlob(1000 + i)).ToList();
        foreach (var (key, data) in blobs)
        {
            await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        }
        var listed = await ListAsync();
        foreach (var (key, data) in blobs)
        {
            Assert.Contains(listed, b => b.Key == key && b.Length == data.Length);
        }
    }

    [Fact]
    public async Task The_read_stream_supports_seeking_for_range_requests()
    {
        var (key, data) = NewBlob(10_000);
        await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        await using var stream = (await Store.OpenReadAsync(key, CancellationToken.None))!;
        Assert.True(stream.CanSeek);
        stream.Seek(5000, SeekOrigin.Begin);
        var buffer = new byte[100];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(data[5000..5100], buffer);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("back\\slash")]
    [InlineData("")]
    public async Task Hostile_keys_are_refused(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), CancellationToken.None));
    }

    [Fact]
    public async Task A_healthy_store_passes_its_health_check()
    {
        await Store.CheckHealthAsync(CancellationToken.None);
    }

    private async Task<List<BlobInfo>> ListAsync()
    {
        var list = new List<BlobInfo>();
        await foreach (var blob in Store.ListAsync(CancellationToken.None))
        {
            list.Add(blob);
        }
        return list;
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= failAfter ? throw new IOException("connection reset") : base.Read(buffer, offset, Math.Min(count, 1000));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("connection reset") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Position >= failAfter ? throw new IOException("connection reset") : base.ReadAsync(buffer, offset, Math.Min(count, 1000), cancellationToken);
    }
}

public sealed class FileSystemBlobStoreSpecification : BlobStoreSpecification, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "synapse-blob-spec", Guid.NewGuid().ToString("N"));

    internal override IBlobStore CreateStore() => new FileSystemBlobStore(_root);

    [Fact]
    public async Task Blobs_are_fanned_out_and_no_temporary_files_remain()
    {
        var (key, data) = NewBlob();
        await Store.PutAsync(key, new MemoryStream(data), CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(_root, key[..2], key[2..4], key)));
        Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
