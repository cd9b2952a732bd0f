namespace Synapse.Registry.RateLimiting;

/// <summary>
/// Counts hits per policy and key in fixed windows. In-process by default; Redis when several instances
/// must share one budget.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Records one hit against every window of the policy and says whether it is allowed.</summary>
    Task<RateLimitDecision> HitAsync(string policy, string key, IReadOnlyList<RateLimitWindow> windows, CancellationToken cancellationToken);
}

/// <summary>At most <paramref name="Limit"/> hits per <paramref name="Length"/>.</summary>
public sealed record RateLimitWindow(int Limit, TimeSpan Length);

/// <summary>The outcome of a hit, for the 429 and the <c>RateLimit</c> headers (of the tightest window).</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter);
