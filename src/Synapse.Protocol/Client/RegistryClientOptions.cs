namespace Synapse.Protocol.Client;

/// <summary>How a <see cref="RegistryClient"/> talks to a registry.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>The registry's base address, e.g. <c>http://localhost:5080</c>.</summary>
    public required Uri BaseAddress { get; init; }
    /// <summary>Bearer token sent with every request, if any.</summary>
    public string? Token { get; init; }
    /// <summary>Retries after the first attempt for network errors, 5xx and 429 (idempotent calls only for the first two).</summary>
    public int MaxRetries { get; init; } = 3;
    /// <summary>First backoff delay; doubled after each retry.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Longest <c>Retry-After</c> the client waits by itself; a longer one fails with the wait in the message.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Per-request timeout (not applied to tarball bodies once streaming).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);
    /// <summary>User-Agent product token.</summary>
    public string UserAgent { get; init; } = "synapse-cli/1.0";
    /// <summary>How to wait between attempts; replaceable so tests need not sleep.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}
