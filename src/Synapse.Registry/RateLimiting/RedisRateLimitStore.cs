using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Synapse.Registry.Infrastructure.Redis;

namespace Synapse.Registry.RateLimiting;

/// <summary>
/// Fixed-window counters in Redis, shared by every instance. One Lua script per hit reads every window of the
/// policy, and only when all have room counts the hit in all of them: one round trip, atomic, and a refused hit
/// does not use up budget. Windows follow Redis's clock, so instances with skewed clocks still agree.
/// When Redis cannot be reached the store fails open (the hit is allowed) and logs a warning at most every
/// 30 seconds; the health endpoint reports Redis as down meanwhile.
/// </summary>
public sealed class RedisRateLimitStore : IRateLimitStore
{
    // ARGV: key prefix, then limit and window length (ms) per window. Returns: allowed, then count and ms-to-reset per window.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = (#ARGV - 1) / 2
        local keys, counts, resets = {}, {}, {}
        local allowed = 1
        for i = 1, n do
          local limit = tonumber(ARGV[2 * i])
          local length = tonumber(ARGV[2 * i + 1])
          local window = math.floor(now / length)
          keys[i] = ARGV[1] .. ':' .. length .. ':' .. window
          counts[i] = tonumber(redis.call('GET', keys[i]) or '0')
          resets[i] = (window + 1) * length - now
          if counts[i] >= limit then allowed = 0 end
        end
        if allowed == 1 then
          for i = 1, n do
            counts[i] = redis.call('INCR', keys[i])
            if counts[i] == 1 then redis.call('PEXPIRE', keys[i], resets[i] + 1000) end
          end
        end
        local result = { allowed }
        for i = 1, n do
          result[#result + 1] = counts[i]
          result[#result + 1] = resets[i]
        end
        return result
        """;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);
    private readonly RedisConnection connection;
    private readonly ILogger<RedisRateLimitStore> logger;
    private readonly TimeProvider time;
    private readonly string prefix;
    private long lastWarningTicks = long.MinValue;

    /// <summary>Creates the store on the shared connection; keys start with <paramref name="keyPrefix"/>.</summary>
    public RedisRateLimitStore(RedisConnection connection, ILogger<RedisRateLimitStore> logger, TimeProvider? time = null, string keyPrefix = "synapse:ratelimit")
    {
        this.connection = connection;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        prefix = keyPrefix;
    }

    /// <inheritdoc />
    public async Task<RateLimitDecision> HitAsync(string policy, string key, IReadOnlyList<RateLimitWindow> windows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return new RateLimitDecision(true, int.MaxValue, int.MaxValue, TimeSpan.Zero);
        }

        var arguments = new RedisValue[1 + (2 * windows.Count)];
        // Hash tag: every window of one client lands in the same cluster slot.
        arguments[0] = $"{prefix}:{{{policy}:{key}}}";
        for (var i = 0; i < windows.Count; i++)
        {
            arguments[1 + (2 * i)] = windows[i].Limit;
            arguments[2 + (2 * i)] = Math.Max(1, (long)windows[i].Length.TotalMilliseconds);
        }

        RedisResult[] result;
        try
        {
            var redis = await connection.GetAsync();
            result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [], arguments).WaitAsync(cancellationToken))!;
        }
        catch (Exception e) when (RedisConnection.IsRedisFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            WarnFailOpen(e);
            var loosest = windows[0];
            return new RateLimitDecision(true, loosest.Limit, loosest.Limit, loosest.Length);
        }

        return Decide((int)result[0] == 1, windows, result);
    }

    private static RateLimitDecision Decide(bool allowed, IReadOnlyList<RateLimitWindow> windows, RedisResult[] result)
    {
        RateLimitDecision? chosen = null;
        for (var i = 0; i < windows.Count; i++)
        {
            var count = (long)result[1 + (2 * i)];
            var reset = TimeSpan.FromMilliseconds(Math.Max(0, (long)result[2 + (2 * i)]));
            var remaining = (int)Math.Max(0, windows[i].Limit - count);
            var candidate = new RateLimitDecision(allowed, windows[i].Limit, remaining, reset);
            if (chosen is null || Tighter(candidate, chosen, allowed))
            {
                chosen = candidate;
            }
        }

        return chosen!;
    }

    // Allowed: the window with the least room left. Refused: among the exhausted windows, the one that frees up last.
    private static bool Tighter(RateLimitDecision candidate, RateLimitDecision chosen, bool allowed)
    {
        if (candidate.Remaining != chosen.Remaining)
        {
            return candidate.Remaining < chosen.Remaining;
        }

        return allowed ? candidate.ResetAfter < chosen.ResetAfter : candidate.ResetAfter > chosen.ResetAfter;
    }

    private void WarnFailOpen(Exception error)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastWarningTicks);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < WarningInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref lastWarningTicks, now, last) == last)
        {
            logger.LogWarning(error, "Redis rate-limit store unreachable; allowing requests without rate limits until it returns");
        }
    }
}
