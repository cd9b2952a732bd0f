using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Registry.Infrastructure;
using Synapse.Registry.Infrastructure.Redis;
using Synapse.Registry.RateLimiting;

namespace Synapse.Registry.Tests.Backends;

/// <summary>The Redis rate-limit store and invalidation channel against a real Redis (scripts/services.sh).</summary>
public sealed class RedisRateLimitStoreTests : IAsyncLifetime
{
    private readonly string policy = TestServices.UniqueName("policy");
    private readonly RedisConnection connection = new(TestServices.Redis);
    private RedisRateLimitStore store = null!;

    public Task InitializeAsync()
    {
        store = new RedisRateLimitStore(connection, NullLogger<RedisRateLimitStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await connection.DisposeAsync();

    private static RateLimitWindow[] Windows(params (int Limit, double Seconds)[] windows) =>
        windows.Select(w => new RateLimitWindow(w.Limit, TimeSpan.FromSeconds(w.Seconds))).ToArray();

    [Fact]
    public async Task Hits_are_allowed_up_to_the_limit_then_refused_until_the_window_resets()
    {
        var windows = Windows((3, 3600));
        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await store.HitAsync(policy, "1.2.3.4", windows, CancellationToken.None));
        }

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal([2, 1, 0, 0], decisions.Select(d => d.Remaining));
        Assert.All(decisions, d => Assert.Equal(3, d.Limit));
        Assert.InRange(decisions[3].ResetAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Keys_and_policies_have_separate_budgets()
    {
        var windows = Windows((1, 3600));
        Assert.True((await store.HitAsync(policy, "a", windows, CancellationToken.None)).Allowed);
        Assert.True((await store.HitAsync(policy, "b", windows, CancellationToken.None)).Allowed);
        Assert.True((await store.HitAsync(policy + "-other", "a", windows, CancellationToken.None)).Allowed);
        Assert.False((await store.HitAsync(policy, "a", windows, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Every_instance_shares_one_budget()
    {
        await using var otherConnection = new RedisConnection(TestServices.Redis);
        var other = new RedisRateLimitStore(otherConnection, NullLogger<RedisRateLimitStore>.Instance);
        var windows = Windows((2, 3600));

        Assert.True((await store.HitAsync(policy, "user", windows, CancellationToken.None)).Allowed);
        Assert.True((await other.HitAsync(policy, "user", windows, CancellationToken.None)).Allowed);
        Assert.False((await store.HitAsync(policy, "user", windows, CancellationToken.None)).Allowed);
        Assert.False((await other.HitAsync(policy, "user", windows, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Concurrent_hits_never_exceed_the_limit()
    {
        var windows = Windows((10, 3600));
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => store.HitAsync(policy, "burst", windows, CancellationToken.None)));
        Assert.Equal(10, results.Count(r => r.Allowed));
    }

    [Fact]
    public async Task The_tightest_window_is_reported_and_a_refused_hit_uses_no_budget()
    {
        var windows = Windows((2, 2), (3, 3600));
        // Windows are aligned to Redis's clock (this machine's): start early in a 2-second window so the hits share it.
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 2000 > 300)
        {
            await Task.Delay(20);
        }

        var first = await store.HitAsync(policy, "k", windows, CancellationToken.None);
        Assert.Equal((true, 2, 1), (first.Allowed, first.Limit, first.Remaining));
        await store.HitAsync(policy, "k", windows, CancellationToken.None);

        var refused = await store.HitAsync(policy, "k", windows, CancellationToken.None);
        Assert.False(refused.Allowed);
        Assert.Equal(2, refused.Limit);
        Assert.True(refused.ResetAfter <= TimeSpan.FromSeconds(2));

        await Task.Delay(refused.ResetAfter + TimeSpan.FromMilliseconds(50));
        var third = await store.HitAsync(policy, "k", windows, CancellationToken.None);
        Assert.True(third.Allowed);
        Assert.Equal((3, 0), (third.Limit, third.Remaining));

        await Task.Delay(TimeSpan.FromSeconds(2.05));
        var hourly = await store.HitAsync(policy, "k", windows, CancellationToken.None);
        Assert.False(hourly.Allowed);
        Assert.Equal(3, hourly.Limit);
        Assert.True(hourly.ResetAfter > TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Without_Redis_hits_are_allowed_health_fails_and_limits_return_by_themselves()
    {
        await using var proxy = OutageProxy.For(TestServices.Redis);
        await using var proxied = new RedisConnection($"127.0.0.1:{proxy.Port}", TimeSpan.FromMilliseconds(500));
        var limited = new RedisRateLimitStore(proxied, NullLogger<RedisRateLimitStore>.Instance);
        var windows = Windows((1, 3600));
        Assert.True((await limited.HitAsync(policy, "k", windows, CancellationToken.None)).Allowed);
        Assert.False((await limited.HitAsync(policy, "k", windows, CancellationToken.None)).Allowed);

        proxy.Cut();
        await Task.Delay(200);
        Assert.True((await limited.HitAsync(policy, "k", windows, CancellationToken.None)).Allowed);
        var error = await Assert.ThrowsAsync<BackendUnavailableException>(() => proxied.CheckHealthAsync(CancellationToken.None));
        Assert.Equal("redis", error.Backend);

        proxy.Restore();
        await Eventually(async () =>
        {
            await proxied.CheckHealthAsync(CancellationToken.None);
            return !(await limited.HitAsync(policy, "k", windows, CancellationToken.None)).Allowed;
        });
    }

    [Fact]
    public async Task Invalidations_reach_the_other_instances_but_not_the_sender()
    {
        await using var otherConnection = new RedisConnection(TestServices.Redis);
        var channelName = TestServices.UniqueName("invalidate");
        var mine = new RedisInvalidationChannel(connection, NullLogger<RedisInvalidationChannel>.Instance, channelName);
        var theirs = new RedisInvalidationChannel(otherConnection, NullLogger<RedisInvalidationChannel>.Instance, channelName);
        var seenByMe = new ConcurrentQueue<string>();
        var seenByThem = new ConcurrentQueue<string>();
        await mine.SubscribeAsync(seenByMe.Enqueue, () => { });
        await theirs.SubscribeAsync(seenByThem.Enqueue, () => { });

        await mine.PublishAsync("http-client");
        await Eventually(() => Task.FromResult(seenByThem.Contains("http-client")));
        await theirs.PublishAsync("json");
        await Eventually(() => Task.FromResult(seenByMe.Contains("json")));
        Assert.DoesNotContain("http-client", seenByMe);
        Assert.DoesNotContain("json", seenByThem);
    }

    [Fact]
    public async Task After_a_Redis_outage_subscribers_drop_their_whole_cache_and_keep_receiving()
    {
        await using var proxy = OutageProxy.For(TestServices.Redis);
        await using var proxied = new RedisConnection($"127.0.0.1:{proxy.Port}", TimeSpan.FromMilliseconds(500));
        var channelName = TestServices.UniqueName("invalidate");
        var listener = new RedisInvalidationChannel(proxied, NullLogger<RedisInvalidationChannel>.Instance, channelName);
        var sender = new RedisInvalidationChannel(connection, NullLogger<RedisInvalidationChannel>.Instance, channelName);
        var seen = new ConcurrentQueue<string>();
        var cleared = 0;
        await listener.SubscribeAsync(seen.Enqueue, () => Interlocked.Increment(ref cleared));

        proxy.Cut();
        await Task.Delay(300);
        proxy.Restore();

        await Eventually(() => Task.FromResult(Volatile.Read(ref cleared) > 0));
        await Eventually(async () =>
        {
            await sender.PublishAsync("after-outage");
            await Task.Delay(100);
            return seen.Contains("after-outage");
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:6379,nonsense=1")]
    public void A_bad_connection_string_names_the_setting(string connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RedisConnection(connectionString));
        Assert.Contains("Synapse:RateLimiting:Redis", error.Message, StringComparison.Ordinal);
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e)
            {
                last = e;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The condition did not hold within 20 seconds.", last);
    }
}
