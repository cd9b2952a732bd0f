using StackExchange.Redis;

namespace Synapse.Registry.Infrastructure.Redis;

/// <summary>
/// The one Redis connection of an instance, shared by the rate limits and the cache invalidation channel.
/// It never fails the startup: while Redis is away, commands fail fast and the multiplexer keeps reconnecting
/// in the background, so service resumes by itself when Redis returns.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private const string Backend = "redis";
    private readonly ConfigurationOptions configuration;
    private readonly SemaphoreSlim connectLock = new(1, 1);
    private ConnectionMultiplexer? multiplexer;

    /// <summary>Parses a StackExchange.Redis connection string (e.g. <c>redis:6379,password=...</c>).</summary>
    public RedisConnection(string connectionString, TimeSpan? commandTimeout = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Synapse:RateLimiting:Redis is required when Synapse:RateLimiting:Store is Redis: set it to a Redis connection string such as 'redis:6379'.");
        }

        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Synapse:RateLimiting:Redis is not a valid Redis connection string: {e.Message}", e);
        }

        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        var timeout = (int)(commandTimeout ?? TimeSpan.FromSeconds(2)).TotalMilliseconds;
        configuration.AsyncTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.ConnectTimeout = Math.Max(timeout, 2000);
        configuration.ConnectRetry = 1;
        configuration.ClientName ??= "synapse-registry";
    }

    /// <summary>Raised when the connection comes back after a failure (subscribers may have missed messages).</summary>
    public event EventHandler? Restored;

    /// <summary>The multiplexer, connecting on first use.</summary>
    public async Task<IConnectionMultiplexer> GetAsync()
    {
        if (multiplexer is { } existing)
        {
            return existing;
        }

        await connectLock.WaitAsync();
        try
        {
            if (multiplexer is null)
            {
                var connected = await ConnectionMultiplexer.ConnectAsync(configuration);
                connected.ConnectionRestored += (_, _) => Restored?.Invoke(this, EventArgs.Empty);
                multiplexer = connected;
            }

            return multiplexer;
        }
        finally
        {
            connectLock.Release();
        }
    }

    /// <summary>Pings Redis; throws <see cref="BackendUnavailableException"/> when it does not answer.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await GetAsync();
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (IsRedisFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new BackendUnavailableException(Backend, $"Redis does not answer: {e.Message}", e);
        }
    }

    /// <summary>Whether <paramref name="exception"/> means Redis is unreachable or failed the command.</summary>
    public static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException or System.Net.Sockets.SocketException;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (multiplexer is not null)
        {
            await multiplexer.DisposeAsync();
        }

        connectLock.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        multiplexer?.Dispose();
        connectLock.Dispose();
    }
}
