namespace Synapse.Registry.Search;

/// <summary>
/// How many searches run at once on this instance; the others wait their turn. A full-text search is CPU-bound, so
/// running more of them than there are cores adds no throughput, only a database connection (and its page cache) each.
/// </summary>
internal sealed class SearchConcurrency(int limit) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    public int Limit { get; } = limit;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> search, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
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
