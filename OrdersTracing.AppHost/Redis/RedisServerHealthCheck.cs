using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace OrdersTracing.AppHost.Redis;

/// <summary>Healthy once the server answers a PING with the password.</summary>
internal sealed class RedisServerHealthCheck(LocalRedisResource redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString!);
            await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis on '{redis.Name}' does not answer yet.", exception);
        }
    }
}
