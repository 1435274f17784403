using OpenTelemetry.Trace;
using OrdersTracing.ServiceDefaults.Faults;
using StackExchange.Redis;

namespace OrdersTracing.Api.Orders;

public static class OrderCacheExtensions
{
    /// <summary>
    /// The connection name the Api reads (<c>ConnectionStrings:cache</c>); the AppHost names its Redis resource the same.
    /// </summary>
    public const string ConnectionName = "cache";

    /// <summary>
    /// A request waits at most this long for Redis before it reads the database instead: a cache round trip is well
    /// under a millisecond here, so anything near this is an outage, not a slow answer.
    /// </summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Redis through StackExchange.Redis, traced by OpenTelemetry's instrumentation: each command is a client span of
    /// its own with <c>db.system.name=redis</c>, so a trace tells a cache hit from a database read.
    /// </summary>
    public static IHostApplicationBuilder AddOrderCache(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set: the Api needs the Redis server that caches orders (host:port[,password=...]).");
        }

        var options = ConnectionOptions(connectionString);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddSingleton<OrderCache>();
        builder.AddFaults(FaultCatalogue.Services.Api).Inject<OrderCacheOutage>(FaultKind.CacheUnavailable);
        // db.system.name and db.query.text, as Npgsql's spans, come with OTEL_SEMCONV_STABILITY_OPT_IN=database, which
        // the instrumentation reads from the environment only: the AppHost sets it (WithOrderCache).
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddRedisInstrumentation());

        return builder;
    }

    /// <summary>How the cache connects, whether to Redis or, for the outage fault, to a port nothing listens on.</summary>
    internal static ConfigurationOptions ConnectionOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Start without Redis and keep reconnecting in the background: an outage costs cache hits, never requests.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        options.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        // While disconnected, a command fails at once instead of queueing until its timeout: the database answers sooner.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
