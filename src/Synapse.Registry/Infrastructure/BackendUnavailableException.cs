namespace Synapse.Registry.Infrastructure;

/// <summary>
/// A backing service (database, blob storage, Redis) could not be reached or failed. The API answers 503 with a
/// problem document naming the backend; the request can be retried once the service is back.
/// </summary>
public sealed class BackendUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="backend"/> ("database", "storage", "redis").</summary>
    public BackendUnavailableException(string backend, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Backend = backend;
    }

    /// <summary>Which backing service failed: "database", "storage" or "redis".</summary>
    public string Backend { get; }
}
