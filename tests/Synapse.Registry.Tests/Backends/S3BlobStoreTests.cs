using System.Security.Cryptography;
using Synapse.Registry.Infrastructure;
using Synapse.Registry.Storage;
using Synapse.Registry.Storage.S3;

namespace Synapse.Registry.Tests.Backends;

/// <summary>S3-specific behaviour beyond <see cref="S3BlobStoreSpecification"/>, against the real S3-compatible server.</summary>
public sealed class S3BlobStoreTests : IAsyncLifetime
{
    private readonly string bucket = TestServices.UniqueName("blobs");
    private S3BlobStore store = null!;

    public async Task InitializeAsync()
    {
        store = new S3BlobStore(TestServices.S3Options(bucket));
        await store.EnsureBucketAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        store.Dispose();
        return Task.CompletedTask;
    }

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private static async Task<byte[]> ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Writing_the_same_key_again_keeps_one_readable_blob()
    {
        var bytes = RandomBytes(1000);
        await store.PutAsync("same", new MemoryStream(bytes), CancellationToken.None);
        await store.PutAsync("same", new MemoryStream(bytes), CancellationToken.None);

        await using var read = await store.OpenReadAsync("same", CancellationToken.None);
        Assert.Equal(bytes, await ReadAll(read!));
        Assert.Single(await store.ListAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task A_non_seekable_upload_is_stored_whole()
    {
        var bytes = RandomBytes(3 * 1024 * 1024 + 17);
        await store.PutAsync("streamed", new ForwardOnlyStream(bytes), CancellationToken.None);

        await using var read = await store.OpenReadAsync("streamed", CancellationToken.None);
        Assert.Equal(bytes, await ReadAll(read!));
    }

    [Fact]
    public async Task The_read_stream_seeks_with_ranged_reads()
    {
        var bytes = RandomBytes(100_000);
        await store.PutAsync("seek", new MemoryStream(bytes), CancellationToken.None);
        await using var read = (await store.OpenReadAsync("seek", CancellationToken.None))!;

        var head = new byte[10];
        await read.ReadExactlyAsync(head);
        Assert.Equal(bytes[..10], head);

        read.Seek(50_000, SeekOrigin.Begin);
        var middle = new byte[1000];
        await read.ReadExactlyAsync(middle);
        Assert.Equal(bytes[50_000..51_000], middle);
        Assert.Equal(51_000, read.Position);

        read.Seek(-100, SeekOrigin.End);
        Assert.Equal(bytes[^100..], await ReadAll(read));

        read.Position = 5;
        var again = new byte[5];
        await read.ReadExactlyAsync(again);
        Assert.Equal(bytes[5..10], again);

        read.Position = bytes.Length + 10;
        Assert.Equal(0, await read.ReadAsync(new byte[10]));
        Assert.Throws<IOException>(() => read.Seek(-1, SeekOrigin.Begin));
    }

    [Fact]
    public async Task Listing_pages_through_every_blob()
    {
        store.ListPageSize = 2;
        var keys = Enumerable.Range(0, 5).Select(i => $"list/{i}").ToList();
        foreach (var key in keys)
        {
            await store.PutAsync(key, new MemoryStream(RandomBytes(10 + keys.IndexOf(key))), CancellationToken.None);
        }

        var listed = await store.ListAsync(CancellationToken.None).ToListAsync();
        Assert.Equal(keys, listed.Select(blob => blob.Key).Order());
        Assert.Equal(Enumerable.Range(10, 5).Select(i => (long)i), listed.OrderBy(blob => blob.Key).Select(blob => blob.Length));
    }

    [Fact]
    public async Task A_presigned_address_downloads_the_blob_without_credentials()
    {
        var bytes = RandomBytes(5000);
        await store.PutAsync("signed", new MemoryStream(bytes), CancellationToken.None);

        var url = await store.GetDownloadUrlAsync("signed", TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.NotNull(url);
        Assert.Contains("X-Amz-Signature", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(bytes, await http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Key_prefixes_keep_registries_sharing_a_bucket_apart()
    {
        var options = TestServices.S3Options(bucket);
        options.KeyPrefix = "other/";
        using var other = new S3BlobStore(options);
        await other.PutAsync("k", new MemoryStream(RandomBytes(3)), CancellationToken.None);
        await store.PutAsync("mine", new MemoryStream(RandomBytes(3)), CancellationToken.None);

        Assert.Equal(["k"], (await other.ListAsync(CancellationToken.None).ToListAsync()).Select(b => b.Key));
        Assert.Null(await other.GetInfoAsync("mine", CancellationToken.None));
    }

    [Fact]
    public async Task The_bucket_is_created_on_first_use_and_health_then_passes()
    {
        using var fresh = new S3BlobStore(TestServices.S3Options(TestServices.UniqueName("fresh")));
        await fresh.PutAsync("x", new MemoryStream([1, 2, 3]), CancellationToken.None);
        await fresh.CheckHealthAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Health_fails_for_a_missing_bucket_when_creation_is_off()
    {
        var options = TestServices.S3Options(TestServices.UniqueName("absent"));
        options.CreateBucket = false;
        using var absent = new S3BlobStore(options);
        var error = await Assert.ThrowsAsync<BackendUnavailableException>(() => absent.CheckHealthAsync(CancellationToken.None));
        Assert.Equal("storage", error.Backend);
        Assert.Contains(options.Bucket, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_is_reported_as_unavailable_and_the_store_recovers_by_itself()
    {
        await using var proxy = OutageProxy.For(TestServices.S3Url);
        var options = TestServices.S3Options(bucket);
        options.ServiceUrl = $"http://127.0.0.1:{proxy.Port}";
        using var proxied = new S3BlobStore(options);
        await proxied.PutAsync("before", new MemoryStream([1]), CancellationToken.None);

        proxy.Cut();
        await Assert.ThrowsAsync<BackendUnavailableException>(() => proxied.CheckHealthAsync(CancellationToken.None));
        await Assert.ThrowsAsync<BackendUnavailableException>(() => proxied.PutAsync("during", new MemoryStream([2]), CancellationToken.None));
        await Assert.ThrowsAsync<BackendUnavailableException>(() => proxied.OpenReadAsync("before", CancellationToken.None));

        proxy.Restore();
        await proxied.CheckHealthAsync(CancellationToken.None);
        await proxied.PutAsync("after", new MemoryStream([3]), CancellationToken.None);
        await using var read = await proxied.OpenReadAsync("before", CancellationToken.None);
        Assert.Equal([1], await ReadAll(read!));
    }

    [Fact]
    public void Invalid_settings_name_their_key()
    {
        var errors = new S3StorageOptions { Bucket = "", AccessKey = "only-half" }.Validate();
        Assert.Contains(errors, e => e.Contains("Synapse:Storage:S3:Bucket", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Synapse:Storage:S3:SecretKey", StringComparison.Ordinal));
        Assert.Contains(new S3StorageOptions { Bucket = "Bad_Name" }.Validate(), e => e.Contains("not a valid bucket name", StringComparison.Ordinal));
        Assert.Contains(new S3StorageOptions { Bucket = "fine", ServiceUrl = "ftp://x" }.Validate(), e => e.Contains("ServiceUrl", StringComparison.Ordinal));
        Assert.Empty(new S3StorageOptions { Bucket = "fine.bucket-1", ServiceUrl = "http://127.0.0.1:9000" }.Validate());
        Assert.Throws<InvalidOperationException>(() => new S3BlobStore(new S3StorageOptions()));
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
