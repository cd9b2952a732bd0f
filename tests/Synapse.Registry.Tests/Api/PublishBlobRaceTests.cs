using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Storage;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

/// <summary>
/// Another instance's failed publish of the same bytes may remove the blob between this instance's write and
/// its commit (the blob lock is per instance). The winner must still leave its version downloadable.
/// </summary>
public sealed class PublishBlobRaceTests
{
    [Fact]
    public async Task A_blob_removed_between_write_and_commit_is_put_back()
    {
        var store = new BlobRemovedAfterWriteStore();
        using var factory = new RegistryFactory { ConfigureServices = services => services.AddSingleton<IBlobStore>(store) };
        var token = await factory.RegisterAsync("racer");
        var tarball = TestPackages.Build("raced", "1.0.0");

        await Expect.StatusAsync(await factory.PublishAsync(token, tarball), 201);

        Assert.Equal(1, store.Removed);
        var download = await factory.Client().GetAsync("/api/v1/packages/raced/1.0.0/tarball");
        await Expect.StatusAsync(download, 200);
        Assert.Equal(tarball, await download.Content.ReadAsByteArrayAsync());
    }

    /// <summary>In memory; the first write of each key vanishes at once, as if another instance deleted it.</summary>
    private sealed class BlobRemovedAfterWriteStore : IBlobStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _blobs = new();
        private readonly HashSet<string> _seen = [];

        public int Removed { get; private set; }

        public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            lock (_seen)
            {
                if (_seen.Add(key))
                {
                    Removed++;
                    return;
                }
            }
            _blobs[key] = buffer.ToArray();
        }

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult<Stream?>(_blobs.TryGetValue(key, out var data) ? new MemoryStream(data) : null);

        public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult(_blobs.TryGetValue(key, out var data) ? new BlobInfo(key, data.Length, DateTimeOffset.UtcNow) : null);

        public Task DeleteAsync(string key, CancellationToken cancellationToken)
        {
            _blobs.TryRemove(key, out _);
            return Task.CompletedTask;
        }

        public async IAsyncEnumerable<BlobInfo> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            foreach (var (key, data) in _blobs)
            {
                yield return new BlobInfo(key, data.Length, DateTimeOffset.UtcNow);
            }
        }

        public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken) => Task.FromResult<Uri?>(null);

        public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
