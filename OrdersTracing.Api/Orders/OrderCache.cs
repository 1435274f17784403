using System.Diagnostics;
using System.Text.Json;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry;
using StackExchange.Redis;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// Cache-aside in front of reading one order. The cache is an optimisation, never a dependency: when Redis is down or
/// slow every call here gives up within the connection's short timeouts, says so in a span of its own in error, on the
/// current span and in a warning, and the caller reads the database as if there were no cache.
/// </summary>
public sealed class OrderCache(IConnectionMultiplexer redis, FaultSwitch faults, OrderCacheOutage outage, ILogger<OrderCache> logger)
{
    /// <summary>
    /// Bounds how long an entry can outlive a change the invalidation missed (Redis unreachable at that moment, or a
    /// reader that loaded the old row just before the change and stored it just after).
    /// </summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    /// <returns><see langword="null"/> on a miss and when the cache cannot be reached.</returns>
    public async Task<OrderResponse?> GetAsync(string tenantId, Guid orderId)
    {
        var value = await TryAsync(
            OrdersTelemetry.Spans.CacheGet, OrdersTelemetry.CacheCommands.Get, database => database.StringGetAsync(Key(tenantId, orderId)), orderId);
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
        await TryAsync(
            OrdersTelemetry.Spans.CacheSet,
            OrdersTelemetry.CacheCommands.Set,
            async database => (RedisValue)await database.StringSetAsync(Key(order.TenantId, order.Id), json, TimeToLive),
            order.Id);
    }

    /// <summary>Forgets the order, after its payment changed.</summary>
    public async Task InvalidateAsync(string tenantId, Guid orderId) =>
        await TryAsync(
            OrdersTelemetry.Spans.CacheDelete,
            OrdersTelemetry.CacheCommands.Delete,
            async database => (RedisValue)await database.KeyDeleteAsync(Key(tenantId, orderId)),
            orderId);

    // The tenant is part of the key, so one tenant's entry can never answer another tenant's read.
    private static RedisKey Key(string tenantId, Guid orderId) => $"orders:{tenantId}:{orderId:N}";

    private static void Record(string result) => Activity.Current?.SetTag(OrdersTelemetry.Tags.CacheResult, result);

    /// <returns>What Redis answered, or <see langword="null"/> when it could not be asked.</returns>
    private async Task<RedisValue?> TryAsync(string spanName, string commandName, Func<IDatabase, Task<RedisValue>> command, Guid orderId)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await command(Connection().GetDatabase());
        }
        // Disposed: the outage fault switched off while this command held its connection.
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException or ObjectDisposedException)
        {
            RecordFailedCommand(spanName, commandName, started, exception);
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

    private IConnectionMultiplexer Connection() =>
        faults.Strikes(FaultKind.CacheUnavailable, out _) && outage.Connection is { } unreachable ? unreachable : redis;

    /// <summary>
    /// The failed command as a client span, from when it began: Redis's instrumentation writes spans only for commands
    /// it sent and answered, so a cache that cannot be reached would otherwise leave no span where the time and the
    /// error were.
    /// </summary>
    private static void RecordFailedCommand(string spanName, string commandName, long started, Exception exception)
    {
        var startTime = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(started);
        using var activity = OrdersTelemetry.Source.StartActivity(spanName, ActivityKind.Client, parentContext: default, startTime: startTime);
        activity?.SetTag(TelemetryTags.DbSystemName, OrdersTelemetry.DatabaseSystems.Redis);
        activity?.SetTag(TelemetryTags.DbOperationName, commandName);
        activity.RecordError(exception);
    }
}
