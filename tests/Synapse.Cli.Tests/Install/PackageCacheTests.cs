using System.Security.Cryptography;
using Synapse.Cli.Cache;
using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;

namespace Synapse.Cli.Tests.Install;

public sealed class PackageCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "synapse-cache-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Tarballs_are_stored_by_hash_found_by_hash_and_evicted_by_hash()
    {
        var cache = new PackageCache(_root);
        var bytes = "tarball bytes"u8.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var download = cache.NewTemporaryFile();
        await File.WriteAllBytesAsync(download, bytes);

        var stored = cache.AddTarball("sha256:" + sha.ToUpperInvariant(), download);

        Assert.Equal(Path.Combine(_root, "tarballs", sha[..2], sha + ".tgz"), stored);
        Assert.Equal(stored, cache.FindTarball(sha));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(stored));
        Assert.False(File.Exists(download));

        cache.Evict("sha256:" + sha);

        Assert.False(File.Exists(stored));
        Assert.Null(cache.FindTarball(sha));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("sha256:../../etc/passwd")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Hashes_that_are_not_64_hex_digits_are_refused(string hash)
    {
        Assert.Throws<FormatException>(() => PackageCache.NormalizeHash(hash));
    }

    [Fact]
    public void Versions_documents_round_trip_with_their_etag_per_registry()
    {
        var cache = new PackageCache(_root);
        var document = new VersionsDocument { Name = "json", Versions = [new VersionEntry { Version = "1.0.0", Sha256 = "ab", Dependencies = new Dictionary<string, string> { ["utf8"] = "^1" } }] };

        cache.WriteVersions("http://a", "json", new CachedResponse<VersionsDocument>(document, "\"e1\""));
        var back = cache.ReadVersions("http://a", "json");

        Assert.Equal("\"e1\"", back!.ETag);
        Assert.Equal("^1", back.Value.Versions[0].Dependencies["utf8"]);
        Assert.Null(cache.ReadVersions("http://b", "json"));
    }

    [Fact]
    public void A_corrupt_metadata_file_is_dropped_rather_than_trusted()
    {
        var cache = new PackageCache(_root);
        cache.WriteVersions("http://a", "json", new CachedResponse<VersionsDocument>(new VersionsDocument { Name = "json" }, null));
        var file = Directory.GetFiles(Path.Combine(_root, "metadata"), "*.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(file, "{ not json");

        Assert.Null(cache.ReadVersions("http://a", "json"));
        Assert.False(File.Exists(file));
    }
}
