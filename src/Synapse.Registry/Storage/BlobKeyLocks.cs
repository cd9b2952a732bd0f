namespace Synapse.Registry.Storage;

/// <summary>
/// Serializes "put blob, commit row, clean up on failure" per blob key within this instance, so one publish's
/// clean-up can never remove a blob another in-flight publish of the same bytes is about to reference.
/// </summary>
internal sealed class BlobKeyLocks
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_locks)
        {
            var entry = _locks.TryGetValue(key, out var existing) ? existing : (new SemaphoreSlim(1, 1), 0);
            _locks[key] = (entry.Item1, entry.Item2 + 1);
            gate = entry.Item1;
        }
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(key, gate, entered: false);
            throw;
        }
        return new Releaser(() => Release(key, gate, entered: true));
    }

    private void Release(string key, SemaphoreSlim gate, bool entered)
    {
        if (entered)
        {
            gate.Release();
        }
        lock (_locks)
        {
            var (current, users) = _locks[key];
            if (users <= 1)
            {
                _locks.Remove(key);
                current.Dispose();
            }
            else
            {
                _locks[key] = (current, users - 1);
            }
        }
    }

    private sealed class Releaser(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
