using OrdersTracing.ServiceDefaults.Faults;
using StackExchange.Redis;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// The <see cref="FaultKind.CacheUnavailable"/> fault: while it is on, the order cache sends its commands through a
/// connection of its own to a local port nothing listens on, so StackExchange.Redis really fails (no connection, failed
/// fast) as when Redis is down, while Redis keeps running for every other process.
/// </summary>
public sealed class OrderCacheOutage : IFaultMechanism
{
    private IConnectionMultiplexer? unreachable;

    public FaultKind Kind => FaultKind.CacheUnavailable;

    /// <summary>The connection that cannot reach Redis, while the fault is on.</summary>
    public IConnectionMultiplexer? Connection => Volatile.Read(ref unreachable);

    public async Task SwitchOnAsync(FaultSpec spec, CancellationToken cancellationToken)
    {
        var options = OrderCacheExtensions.ConnectionOptions($"127.0.0.1:{ClosedPort.Number}");
        Volatile.Write(ref unreachable, await ConnectionMultiplexer.ConnectAsync(options));
    }

    public async Task SwitchOffAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref unreachable, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }
}
