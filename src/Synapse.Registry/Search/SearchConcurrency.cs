namespace Synapse.Registry.Search;

/// <summary>
/// How many searches run at once on this instance; the others wait their turn. A full-text search is CPU-bound, so
/// running more of them than there are cores adds no throughput, only a database connection (and its page cache) each.
/// A search that waits longer than <see cref="MaxWait"/> is refused as the service being unavailable (503), so an
/// overloaded instance sheds searches instead of queueing them without bound.
/// </summary>
internal sealed class SearchConcurrency(int limit, TimeSpan maxWait) : IDisposable
{
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _slots = new(limit, limit);

    public SearchConcurrency(int limit) : this(limit, DefaultMaxWait)
    {
    }

    public int Limit { get; } = limit;

    public TimeSpan MaxWait { get; } = maxWait;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> search, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(MaxWait, cancellationToken))
        {
            throw new Api.ApiProblemException(StatusCodes.Status503ServiceUnavailable, Api.ErrorCodes.ServiceUnavailable,
                $"Search is overloaded: no search finished within {MaxWait.TotalSeconds:0} s to make room for this one. Try again shortly.");
        }
        try
        {
            return await search(cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
