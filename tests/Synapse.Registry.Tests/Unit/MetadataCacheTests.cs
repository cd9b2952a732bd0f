using Synapse.Registry.Packages;

namespace Synapse.Registry.Tests.Unit;

public sealed class MetadataCacheTests
{
    private static readonly TarballEntry Entry =
        new(1, 2, "cached", "cached", "1.0.0", "1.0.0", new string('a', 64), 10, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_document_built_while_the_package_changed_is_returned_but_not_kept()
    {
        var cache = new MetadataCache();
        var before = cache.Generation;
        cache.Invalidate("cached");

        var document = cache.Set("cached", DocumentKind.Versions, "{}"u8.ToArray(), before);

        Assert.Equal("{}"u8.ToArray(), document.Body);
        Assert.Null(cache.Get("cached", DocumentKind.Versions));
        cache.Set("cached", DocumentKind.Versions, "{}"u8.ToArray(), cache.Generation);
        Assert.NotNull(cache.Get("cached", DocumentKind.Versions));
    }

    [Fact]
    public void Counted_downloads_drop_only_the_package_document()
    {
        var cache = Filled();

        cache.InvalidateDownloadCount("cached");

        Assert.Null(cache.Get("cached", DocumentKind.Package));
        Assert.NotNull(cache.Get("cached", DocumentKind.Versions));
        Assert.Same(Entry, cache.GetTarball("cached", "1.0.0"));
        Assert.NotNull(cache.Get("other", DocumentKind.Package));
    }

    [Fact]
    public void A_change_drops_everything_cached_about_that_package_only()
    {
        var cache = Filled();

        cache.Invalidate("cached");

        Assert.Null(cache.Get("cached", DocumentKind.Package));
        Assert.Null(cache.Get("cached", DocumentKind.Versions));
        Assert.Null(cache.GetTarball("cached", "1.0.0"));
        Assert.NotNull(cache.Get("other", DocumentKind.Package));
    }

    [Fact]
    public void Documents_carry_an_etag_of_their_bytes()
    {
        var cache = new MetadataCache();
        var first = cache.Set("cached", DocumentKind.Package, "{\"a\":1}"u8.ToArray(), cache.Generation);
        var same = cache.Set("other", DocumentKind.Package, "{\"a\":1}"u8.ToArray(), cache.Generation);
        var changed = cache.Set("cached", DocumentKind.Package, "{\"a\":2}"u8.ToArray(), cache.Generation);

        Assert.Matches("^\"[0-9a-f]{32}\"$", first.ETag);
        Assert.Equal(first.ETag, same.ETag);
        Assert.NotEqual(first.ETag, changed.ETag);
    }

    private static MetadataCache Filled()
    {
        var cache = new MetadataCache();
        cache.Set("cached", DocumentKind.Package, "{}"u8.ToArray(), cache.Generation);
        cache.Set("cached", DocumentKind.Versions, "{}"u8.ToArray(), cache.Generation);
        cache.Set("other", DocumentKind.Package, "{}"u8.ToArray(), cache.Generation);
        cache.SetTarball(Entry, cache.Generation);
        return cache;
    }
}
