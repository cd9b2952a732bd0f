extern alias registry;

using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using registry::Synapse.Registry.Infrastructure.Redis;
using registry::Synapse.Registry.RateLimiting;
using registry::Synapse.Registry.Storage.S3;

namespace Synapse.Benchmarks.Backends;

/// <summary>
/// Cost of the production backends per request, against the servers of scripts/services.sh
/// (<c>source .test-services/env</c> first). Targets: a Redis rate-limit hit well under 1 ms on loopback
/// (one round trip whatever the number of windows); a 1 MiB tarball streamed from S3 in a few ms.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class BackendBenchmarks : IDisposable
{
    private static readonly RateLimitWindow[] OneWindow = [new(int.MaxValue, TimeSpan.FromMinutes(1))];
    private static readonly RateLimitWindow[] ThreeWindows =
        [new(int.MaxValue, TimeSpan.FromMinutes(1)), new(int.MaxValue, TimeSpan.FromHours(1)), new(int.MaxValue, TimeSpan.FromDays(1))];

    private RedisConnection redis = null!;
    private RedisRateLimitStore rateLimits = null!;
    private S3BlobStore blobs = null!;
    private readonly byte[] buffer = new byte[81920];

    [GlobalSetup]
    public async Task Setup()
    {
        redis = new RedisConnection(Require("SYNAPSE_TEST_REDIS"));
        rateLimits = new RedisRateLimitStore(redis, NullLogger<RedisRateLimitStore>.Instance, keyPrefix: "bench:" + Guid.NewGuid().ToString("N"));
        blobs = new S3BlobStore(new S3StorageOptions
        {
            Bucket = "bench-" + Guid.NewGuid().ToString("N")[..12],
            ServiceUrl = Require("SYNAPSE_TEST_S3_URL"),
            AccessKey = Require("SYNAPSE_TEST_S3_ACCESS_KEY"),
            SecretKey = Require("SYNAPSE_TEST_S3_SECRET_KEY"),
            ForcePathStyle = true,
        });
        await blobs.PutAsync("one-mebibyte", new MemoryStream(RandomNumberGenerator.GetBytes(1024 * 1024)), CancellationToken.None);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        redis.Dispose();
        blobs.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public Task<RateLimitDecision> RedisHitOneWindow() => rateLimits.HitAsync("read", "ip:127.0.0.1", OneWindow, CancellationToken.None);

    [Benchmark]
    public Task<RateLimitDecision> RedisHitThreeWindows() => rateLimits.HitAsync("auth", "ip:127.0.0.1", ThreeWindows, CancellationToken.None);

    [Benchmark]
    public async Task<long> S3StreamOneMebibyte()
    {
        await using var stream = (await blobs.OpenReadAsync("one-mebibyte", CancellationToken.None))!;
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run 'scripts/services.sh up' and 'source .test-services/env' first.");
}
