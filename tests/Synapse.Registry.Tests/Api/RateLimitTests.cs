using System.Net.Http.Json;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class RateLimitTests
{
    private static RegistryFactory Limited() => new RegistryFactory()
        .With("Synapse:RateLimiting:Enabled", "true")
        .With("Synapse:RateLimiting:Policies:auth:PerHour", "3")
        .With("Synapse:RateLimiting:Policies:auth:PerDay", "5")
        .With("Synapse:RateLimiting:Policies:publish:PerHour", "2")
        .With("Synapse:RateLimiting:Policies:read:PerMinute", "4");

    [Fact]
    public async Task Auth_policy_answers_429_with_retry_after_and_ratelimit_headers()
    {
        using var factory = Limited();
        using var client = factory.Client();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "whatever1" });
            await Expect.ProblemAsync(ok, 401, "invalid_credentials");
            Assert.Contains("\"auth\";q=3;w=3600", ok.Headers.GetValues("RateLimit-Policy").Single());
        }
        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "whatever1" });
        await Expect.ProblemAsync(limited, 429, "rate_limited");
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.StartsWith("\"auth\";r=0;t=", limited.Headers.GetValues("RateLimit").Single());

        factory.Clock.Advance(TimeSpan.FromSeconds(retryAfter + 1));
        await Expect.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "whatever1" }), 401, "invalid_credentials");
    }

    [Fact]
    public async Task Daily_window_holds_across_hours()
    {
        using var factory = Limited();
        using var client = factory.Client();
        // The clock starts at the real time of day; the two hours below must not cross midnight, where the day resets.
        factory.Clock.Advance(TimeSpan.FromDays(1) - factory.Clock.GetUtcNow().TimeOfDay);
        for (var i = 0; i < 5; i++)
        {
            if (i == 3)
            {
                factory.Clock.Advance(TimeSpan.FromHours(1));
            }
            await Expect.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "whatever1" }), 401, "invalid_credentials");
        }
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await Expect.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "whatever1" }), 429, "rate_limited");
    }

    [Fact]
    public async Task Publish_policy_is_per_user()
    {
        using var factory = Limited().With("Synapse:RateLimiting:Policies:auth:PerHour", "100").With("Synapse:RateLimiting:Policies:auth:PerDay", "100");
        var alice = await factory.RegisterAsync("rl-alice");
        var bob = await factory.RegisterAsync("rl-bob");
        await factory.PublishOkAsync(alice, TestPackages.Build("rl-a", "1.0.0"));
        await factory.PublishOkAsync(alice, TestPackages.Build("rl-a", "1.0.1"));
        await Expect.ProblemAsync(await factory.PublishAsync(alice, TestPackages.Build("rl-a", "1.0.2")), 429, "rate_limited");
        await factory.PublishOkAsync(bob, TestPackages.Build("rl-b", "1.0.0"));
    }

    [Fact]
    public async Task Read_policy_limits_reads_per_address()
    {
        using var factory = Limited();
        using var client = factory.Client();
        for (var i = 0; i < 4; i++)
        {
            await Expect.StatusAsync(await client.GetAsync("/api/v1/stats"), 200);
        }
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/search?q=x"), 429, "rate_limited");
    }

    [Fact]
    public async Task Disabled_rate_limiting_never_answers_429()
    {
        using var factory = Limited().With("Synapse:RateLimiting:Enabled", "false");
        using var client = factory.Client();
        for (var i = 0; i < 10; i++)
        {
            await Expect.StatusAsync(await client.GetAsync("/api/v1/stats"), 200);
        }
    }
}
