using System.Collections.Concurrent;

namespace Synapse.Registry.RateLimiting;

/// <summary>Fixed windows counted in process memory; one budget per instance.</summary>
internal sealed class MemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public Task<RateLimitDecision> HitAsync(string policy, string key, IReadOnlyList<RateLimitWindow> windows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        SweepExpired(now);
        var slots = new (Counter Counter, RateLimitWindow Window, TimeSpan ResetAfter)[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            var index = now.UtcTicks / window.Length.Ticks;
            var windowEnd = new DateTimeOffset((index + 1) * window.Length.Ticks, TimeSpan.Zero);
            var counter = _counters.GetOrAdd($"{policy}\n{window.Length.Ticks}\n{index}\n{key}", _ => new Counter(windowEnd));
            slots[i] = (counter, window, windowEnd - now);
        }

        // Lock the counters in a fixed order so that a denied hit counts nowhere.
        var ordered = slots.OrderBy(s => s.Window.Length).ToArray();
        var taken = 0;
        try
        {
            foreach (var slot in ordered)
            {
                Monitor.Enter(slot.Counter);
                taken++;
            }
            var full = ordered.Where(s => s.Counter.Count >= s.Window.Limit).OrderByDescending(s => s.ResetAfter).FirstOrDefault();
            if (full.Counter is not null)
            {
                return Task.FromResult(new RateLimitDecision(false, full.Window.Limit, 0, full.ResetAfter));
            }
            foreach (var slot in ordered)
            {
                slot.Counter.Count++;
            }
            var tightest = ordered.MinBy(s => s.Window.Limit - s.Counter.Count);
            return Task.FromResult(new RateLimitDecision(true, tightest.Window.Limit, tightest.Window.Limit - tightest.Counter.Count, tightest.ResetAfter));
        }
        finally
        {
            for (var i = taken - 1; i >= 0; i--)
            {
                Monitor.Exit(ordered[i].Counter);
            }
        }
    }

    private void SweepExpired(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }
        foreach (var (key, counter) in _counters)
        {
            if (counter.WindowEnd <= now)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }

    private sealed class Counter(DateTimeOffset windowEnd)
    {
        public DateTimeOffset WindowEnd { get; } = windowEnd;
        public int Count { get; set; }
    }
}
