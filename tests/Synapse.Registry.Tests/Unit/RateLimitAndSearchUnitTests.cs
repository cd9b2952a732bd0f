using Microsoft.Extensions.Time.Testing;
using Synapse.Registry.RateLimiting;
using Synapse.Registry.Search;

namespace Synapse.Registry.Tests.Unit;

public sealed class RateLimitAndSearchUnitTests
{
    private static readonly RateLimitWindow[] Windows = [new(2, TimeSpan.FromMinutes(1)), new(3, TimeSpan.FromHours(1))];

    [Fact]
    public async Task Memory_store_allows_up_to_the_limit_and_a_refused_hit_uses_no_budget()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new MemoryRateLimitStore(clock);
        Assert.True((await store.HitAsync("p", "k", Windows, default)).Allowed);
        var second = await store.HitAsync("p", "k", Windows, default);
        Assert.True(second.Allowed);
        Assert.Equal(0, second.Remaining);
        var refused = await store.HitAsync("p", "k", Windows, default);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.ResetAfter);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await store.HitAsync("p", "k", Windows, default)).Allowed);
        var hourly = await store.HitAsync("p", "k", Windows, default);
        Assert.False(hourly.Allowed);
        Assert.Equal(3, hourly.Limit);
        Assert.Equal(TimeSpan.FromMinutes(59), hourly.ResetAfter);
    }

    [Fact]
    public async Task Memory_store_keeps_keys_and_policies_apart_and_holds_under_concurrency()
    {
        var store = new MemoryRateLimitStore(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 30, TimeSpan.Zero)));
        RateLimitWindow[] window = [new(100, TimeSpan.FromMinutes(1))];
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => store.HitAsync("p", "k", window, default))));
        Assert.Equal(100, results.Count(r => r.Allowed));
        Assert.True((await store.HitAsync("p", "other", window, default)).Allowed);
        Assert.True((await store.HitAsync("q", "k", window, default)).Allowed);
    }

    [Theory]
    [InlineData("http client", "\"http\" \"client\"*")]
    [InlineData("\"NEAR(a b)\"", "\"near\" \"a\" \"b\"*")]
    [InlineData("json*", "\"json\"*")]
    [InlineData("http-client", "\"http\" \"client\"*")]
    [InlineData("\" OR \"", "\"or\"*")]
    public void User_text_becomes_quoted_literal_terms(string query, string fts)
    {
        Assert.Equal(fts, SearchQuery.ToFts5(SearchQuery.Terms(query)));
    }

    [Fact]
    public void Only_symbols_gives_no_terms_and_terms_are_capped()
    {
        Assert.Empty(SearchQuery.Terms("\"*()^:-"));
        Assert.Equal(SearchQuery.MaxTerms, SearchQuery.Terms(string.Join(' ', Enumerable.Range(0, 50).Select(i => $"w{i}"))).Count);
    }
}
