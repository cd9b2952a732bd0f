using System.Collections.Concurrent;

namespace Synapse.Registry.Search;

/// <summary>
/// How many indexed packages match each full-text phrase, kept for <see cref="Lifetime"/>: what relevance ranking
/// (<see cref="SqliteBm25"/>) weighs terms by. A count a minute old only shifts scores slightly after new publishes;
/// which packages match is always current.
/// </summary>
internal sealed class TermFrequencies(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 20_000;
    private readonly ConcurrentDictionary<string, (long Count, long Timestamp)> _counts = new(StringComparer.Ordinal);

    /// <summary>The cached count of <paramref name="phrase"/> (FTS5 MATCH text), or a fresh one from <paramref name="count"/>.</summary>
    public async Task<long> GetAsync(string phrase, Func<string, CancellationToken, Task<long>> count, CancellationToken cancellationToken)
    {
        if (_counts.TryGetValue(phrase, out var cached) && time.GetElapsedTime(cached.Timestamp) < Lifetime)
        {
            return cached.Count;
        }
        var fresh = await count(phrase, cancellationToken);
        if (_counts.Count >= MaxEntries)
        {
            _counts.Clear();
        }
        _counts[phrase] = (fresh, time.GetTimestamp());
        return fresh;
    }
}
