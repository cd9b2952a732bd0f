using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class DownloadsApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly RegistryFactory _registry = fixture.Factory;

    [Fact]
    public async Task Tarball_is_the_published_bytes_with_sha256_etag_and_immutable_caching()
    {
        var token = await _registry.RegisterAsync("dl-owner");
        var tarball = TestPackages.Build("dl-pkg", "1.0.0", readme: new string('x', 5000));
        await _registry.PublishOkAsync(token, tarball);
        using var client = _registry.Client();
        var response = await client.GetAsync("/api/v1/packages/dl_pkg/1.0.0/tarball");
        await Expect.StatusAsync(response, 200);
        Assert.Equal(tarball, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{TestPackages.Sha256(tarball)}\"", response.Headers.ETag?.Tag);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Range_requests_get_206_with_the_requested_bytes()
    {
        var token = await _registry.RegisterAsync("dl-range");
        var tarball = TestPackages.Build("range-pkg", "1.0.0", readme: new string('y', 3000));
        await _registry.PublishOkAsync(token, tarball);
        using var client = _registry.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/packages/range-pkg/1.0.0/tarball");
        request.Headers.Range = new RangeHeaderValue(10, 29);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(tarball[10..30], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(tarball.Length, response.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task A_tarball_too_large_to_read_in_one_go_is_streamed_with_ranges()
    {
        var token = await _registry.RegisterAsync("dl-large");
        var readme = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(400_000));
        var tarball = TestPackages.Build("large-pkg", "1.0.0", readme: readme);
        Assert.True(tarball.Length > 256 * 1024, $"the test tarball is only {tarball.Length} bytes");
        await _registry.PublishOkAsync(token, tarball);
        using var client = _registry.Client();
        var response = await client.GetAsync("/api/v1/packages/large-pkg/1.0.0/tarball");
        await Expect.StatusAsync(response, 200);
        Assert.Equal(tarball, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("large-pkg-1.0.0.tgz", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/packages/large-pkg/1.0.0/tarball");
        ranged.Headers.Range = new RangeHeaderValue(300_000, 300_099);
        var partial = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(tarball[300_000..300_100], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_tarball_missing_from_storage_is_503_and_not_counted()
    {
        var token = await _registry.RegisterAsync("dl-lost");
        var tarball = TestPackages.Build("lost-blob", "1.0.0");
        await _registry.PublishOkAsync(token, tarball);
        var sha = TestPackages.Sha256(tarball);
        File.Delete(Path.Combine(_registry.Root, "packages", sha[..2], sha[2..4], sha));
        using var client = _registry.Client();

        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/lost-blob/1.0.0/tarball"), 503, "service_unavailable");

        await _registry.FlushDownloadsAsync();
        Assert.Equal(0, (await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/lost-blob"))).GetProperty("downloads").GetInt64());
    }

    [Fact]
    public async Task Downloads_are_counted_in_the_background_and_show_in_documents_and_stats()
    {
        var token = await _registry.RegisterAsync("dl-count");
        await _registry.PublishOkAsync(token, TestPackages.Build("counted", "1.0.0"));
        using var client = _registry.Client();
        for (var i = 0; i < 3; i++)
        {
            await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/counted/1.0.0/tarball"), 200);
        }
        await _registry.FlushDownloadsAsync();
        var package = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/counted"));
        Assert.Equal(3, package.GetProperty("downloads").GetInt64());
        var version = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/counted/1.0.0"));
        Assert.Equal(3, version.GetProperty("downloads").GetInt64());
        var stats = await Expect.JsonAsync(await client.GetAsync("/api/v1/stats"));
        Assert.Contains(stats.GetProperty("most_downloaded").EnumerateArray(), p => p.GetProperty("name").GetString() == "counted");
    }

    [Fact]
    public async Task Later_flushes_add_to_the_same_daily_row_and_keep_the_tarball_location_cached()
    {
        var token = await _registry.RegisterAsync("dl-twice");
        await _registry.PublishOkAsync(token, TestPackages.Build("counted-twice", "1.0.0"));
        using var client = _registry.Client();
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/counted-twice/1.0.0/tarball"), 200);
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/counted-twice/1.0.0/tarball"), 200);
        await _registry.FlushDownloadsAsync();
        Assert.Equal(2, (await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/counted-twice"))).GetProperty("downloads").GetInt64());
        var cache = _registry.Services.GetRequiredService<Synapse.Registry.Packages.MetadataCache>();
        var location = cache.GetTarball("counted-twice", "1.0.0");
        Assert.NotNull(location);

        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/counted-twice/1.0.0/tarball"), 200);
        await _registry.FlushDownloadsAsync();

        Assert.Same(location, cache.GetTarball("counted-twice", "1.0.0"));
        Assert.Equal(3, (await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/counted-twice"))).GetProperty("downloads").GetInt64());
        Assert.Equal(3, (await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/counted-twice/1.0.0"))).GetProperty("downloads").GetInt64());
        using var scope = _registry.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Synapse.Registry.Data.RegistryDbContext>();
        var versionId = db.PackageVersions.Single(v => v.Package!.CanonicalName == "counted-twice").Id;
        var row = Assert.Single(db.Downloads.Where(d => d.PackageVersionId == versionId).ToList());
        Assert.Equal(3, row.Count);
    }

    [Fact]
    public async Task Download_records_keep_a_keyed_hash_of_the_address_never_the_address()
    {
        var token = await _registry.RegisterAsync("dl-privacy");
        await _registry.PublishOkAsync(token, TestPackages.Build("private-dl", "1.0.0"));
        using var client = _registry.Client();
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/private-dl/1.0.0/tarball"), 200);
        await _registry.FlushDownloadsAsync();
        using var scope = _registry.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Synapse.Registry.Data.RegistryDbContext>();
        var rows = db.Downloads.ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.IpHash));
        Assert.All(rows, r => Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("unknown"u8)), r.IpHash));
    }

    [Fact]
    public async Task Yanked_versions_stay_downloadable_and_deleted_ones_are_404()
    {
        var token = await _registry.RegisterAsync("dl-yank");
        await _registry.PublishOkAsync(token, TestPackages.Build("yank-dl", "1.0.0"));
        await _registry.PublishOkAsync(token, TestPackages.Build("yank-dl", "1.0.1"));
        using var authed = _registry.Client(token);
        await Expect.StatusAsync(await authed.PutAsync("/api/v1/packages/yank-dl/1.0.0/yank", null), 200);
        await Expect.StatusAsync(await authed.DeleteAsync("/api/v1/packages/yank-dl/1.0.1"), 204);
        using var client = _registry.Client();
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/yank-dl/1.0.0/tarball"), 200);
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/yank-dl/1.0.1/tarball"), 404, "version_not_found");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/yank-dl/1.0.1"), 404, "version_not_found");
    }

    [Fact]
    public async Task A_cached_tarball_location_is_dropped_when_the_version_is_deleted()
    {
        var token = await _registry.RegisterAsync("dl-cache-del");
        await _registry.PublishOkAsync(token, TestPackages.Build("cache-del", "1.0.0"));
        await _registry.PublishOkAsync(token, TestPackages.Build("cache-del", "1.0.1"));
        using var client = _registry.Client();
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/cache-del/1.0.1/tarball"), 200);
        var cache = _registry.Services.GetRequiredService<Synapse.Registry.Packages.MetadataCache>();
        Assert.NotNull(cache.GetTarball("cache-del", "1.0.1"));

        using var authed = _registry.Client(token);
        await Expect.StatusAsync(await authed.DeleteAsync("/api/v1/packages/cache-del/1.0.1"), 204);

        Assert.Null(cache.GetTarball("cache-del", "1.0.1"));
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/cache-del/1.0.1/tarball"), 404, "version_not_found");
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/cache-del/1.0.0/tarball"), 200);
    }

    [Fact]
    public async Task A_tarball_served_from_the_cache_keeps_headers_ranges_and_conditional_requests()
    {
        var token = await _registry.RegisterAsync("dl-cache-hdr");
        var tarball = TestPackages.Build("cache-hdr", "2.0.0", readme: new string('z', 4000));
        await _registry.PublishOkAsync(token, tarball);
        using var client = _registry.Client();
        await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/cache-hdr/2.0.0/tarball"), 200);

        var cached = await client.GetAsync("/api/v1/packages/Cache_Hdr/2.0.0+build.7/tarball");
        await Expect.StatusAsync(cached, 200);
        Assert.Equal(tarball, await cached.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{TestPackages.Sha256(tarball)}\"", cached.Headers.ETag?.Tag);
        Assert.Equal("public, max-age=31536000, immutable", cached.Headers.CacheControl?.ToString());
        Assert.Equal("cache-hdr-2.0.0.tgz", cached.Content.Headers.ContentDisposition?.FileNameStar ?? cached.Content.Headers.ContentDisposition?.FileName);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/packages/cache-hdr/2.0.0/tarball");
        conditional.Headers.IfNoneMatch.Add(cached.Headers.ETag!);
        var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/packages/cache-hdr/2.0.0/tarball");
        ranged.Headers.Range = new RangeHeaderValue(100, null);
        var partial = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(tarball[100..], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_lookup_that_races_with_an_invalidation_is_not_cached()
    {
        var cache = new Synapse.Registry.Packages.MetadataCache();
        var entry = new Synapse.Registry.Packages.TarballEntry(1, 2, "raced", "raced", "1.0.0", "1.0.0", new string('a', 64), 10, DateTimeOffset.UnixEpoch);
        var before = cache.Generation;
        cache.Invalidate("raced");
        cache.SetTarball(entry, before);
        Assert.Null(cache.GetTarball("raced", "1.0.0"));

        cache.SetTarball(entry, cache.Generation);
        Assert.Same(entry, cache.GetTarball("raced", "1.0.0"));
        cache.Clear();
        Assert.Null(cache.GetTarball("raced", "1.0.0"));
    }
}
