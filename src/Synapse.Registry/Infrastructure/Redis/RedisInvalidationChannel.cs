using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Synapse.Registry.Infrastructure.Redis;

/// <summary>
/// Tells the other instances that a package's cached metadata is stale, over Redis pub/sub. Each instance
/// ignores its own messages. Messages sent while Redis is away are lost, so when the connection comes back
/// every subscriber is told to drop its whole cache.
/// </summary>
public sealed class RedisInvalidationChannel
{
    private const char Separator = '\n';
    private readonly RedisConnection connection;
    private readonly ILogger<RedisInvalidationChannel> logger;
    private readonly RedisChannel channel;
    private readonly string instanceId = Guid.NewGuid().ToString("N");

    /// <summary>Creates the channel on the shared connection.</summary>
    public RedisInvalidationChannel(RedisConnection connection, ILogger<RedisInvalidationChannel> logger, string channelName = "synapse:invalidate")
    {
        this.connection = connection;
        this.logger = logger;
        channel = RedisChannel.Literal(channelName);
    }

    /// <summary>Announces that <paramref name="packageName"/> changed. Never throws: a lost message only delays freshness.</summary>
    public async Task PublishAsync(string packageName)
    {
        try
        {
            var redis = await connection.GetAsync();
            await redis.GetSubscriber().PublishAsync(channel, instanceId + Separator + packageName);
        }
        catch (Exception e) when (RedisConnection.IsRedisFailure(e))
        {
            logger.LogWarning(e, "Could not announce the change of package {Package} to other instances over Redis", packageName);
        }
    }

    /// <summary>
    /// Calls <paramref name="invalidate"/> with each package another instance changed, and
    /// <paramref name="invalidateAll"/> when the connection to Redis is restored.
    /// </summary>
    public async Task SubscribeAsync(Action<string> invalidate, Action invalidateAll)
    {
        ArgumentNullException.ThrowIfNull(invalidate);
        ArgumentNullException.ThrowIfNull(invalidateAll);
        var subscribed = 0;
        async Task Subscribe()
        {
            try
            {
                var redis = await connection.GetAsync();
                await redis.GetSubscriber().SubscribeAsync(channel, (_, message) => Receive(message, invalidate));
                Interlocked.Exchange(ref subscribed, 1);
            }
            catch (Exception e) when (RedisConnection.IsRedisFailure(e))
            {
                logger.LogWarning(e, "Could not subscribe to cache invalidations over Redis; retrying when the connection returns");
            }
        }

        connection.Restored += (_, _) =>
        {
            invalidateAll();
            if (Volatile.Read(ref subscribed) == 0)
            {
                _ = Subscribe();
            }
        };
        await Subscribe();
    }

    private void Receive(RedisValue message, Action<string> invalidate)
    {
        var text = (string?)message;
        var split = text?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (text is null || split < 0 || text.AsSpan(0, split).SequenceEqual(instanceId))
        {
            return;
        }

        invalidate(text[(split + 1)..]);
    }
}
