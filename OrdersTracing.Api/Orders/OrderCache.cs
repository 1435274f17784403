using System.Diagnostics;
using System.Text.Json;
using OrdersTracing.Api.Telemetry;
using StackExchange.Redis;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// Cache-aside in front of reading one order. The cache is an optimisation, never a dependency: when Redis is down or
/// slow every call here gives up within the connection's short timeouts, says so on the current span and in a warning,
/// and the caller reads the database as if there were no cache.
/// </summary>
public sealed class OrderCache(IConnectionMultiplexer redis, ILogger<OrderCache> logger)
{
    /// <summary>
    /// Bounds how long an entry can outlive a change the invalidation missed (Redis unreachable at that moment, or a
    /// reader that loaded the old row just before the change and stored it just after).
    /// </summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    /// <returns><see langword="null"/> on a miss and when the cache cannot be reached.</returns>
    public async Task<OrderResponse?> GetAsync(string tenantId, Guid orderId)
    {
        var value = await TryAsync(database => database.StringGetAsync(Key(tenantId, orderId)), orderId);
        if (value is not { HasValue: true } cached)
        {
            if (value is not null)
            {
                Record(OrdersTelemetry.CacheResults.Miss);
            }

            return null;
        }

        Record(OrdersTelemetry.CacheResults.Hit);
        return JsonSerializer.Deserialize<OrderResponse>((byte[])cached!, JsonSerializerOptions.Web);
    }

    /// <summary>
    /// Keeps a settled order. A pending one is about to change under the payment worker, and a reader that loaded it
    /// just before the payment was recorded would store it just after the invalidation: it is read from the database.
    /// </summary>
    public async Task SetAsync(OrderResponse order)
    {
        if (order.PaymentStatus == PaymentStatus.Pending)
        {
            return;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(order, JsonSerializerOptions.Web);
        await TryAsync(async database => (RedisValue)await database.StringSetAsync(Key(order.TenantId, order.Id), json, TimeToLive), order.Id);
    }

    /// <summary>Forgets the order, after its payment changed.</summary>
    public async Task InvalidateAsync(string tenantId, Guid orderId) =>
        await TryAsync(async database => (RedisValue)await database.KeyDeleteAsync(Key(tenantId, orderId)), orderId);

    // The tenant is part of the key, so one tenant's entry can never answer another tenant's read.
    private static RedisKey Key(string tenantId, Guid orderId) => $"orders:{tenantId}:{orderId:N}";

    private static void Record(string result) => Activity.Current?.SetTag(OrdersTelemetry.Tags.CacheResult, result);

    /// <returns>What Redis answered, or <see langword="null"/> when it could not be asked.</returns>
    private async Task<RedisValue?> TryAsync(Func<IDatabase, Task<RedisValue>> command, Guid orderId)
    {
        try
        {
            return await command(redis.GetDatabase());
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            Record(OrdersTelemetry.CacheResults.Unavailable);
            Activity.Current?.AddEvent(new ActivityEvent(OrdersTelemetry.Events.CacheUnavailable, tags: new ActivityTagsCollection
            {
                [OrdersTelemetry.Exceptions.Type] = exception.GetType().FullName,
                [OrdersTelemetry.Exceptions.Message] = exception.Message,
            }));
            logger.LogWarning("The order cache is unavailable; order {OrderId} is read from the database: {Error}", orderId, exception.Message);
            return null;
        }
    }
}
