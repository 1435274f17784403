using Microsoft.Extensions.DependencyInjection;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Redis;

/// <summary>The order cache as one resource whichever way Redis runs, so the Api is wired to it the same way.</summary>
public static class OrderCacheResourceExtensions
{
    /// <summary>
    /// The connection name the Api reads (<c>ConnectionStrings:cache</c>), whichever way Redis runs. The Api defines it
    /// too (<c>OrderCacheExtensions.ConnectionName</c>): the AppHost knows the Api only as a project to run.
    /// </summary>
    public const string ConnectionName = "cache";

    /// <summary>
    /// OpenTelemetry's switch to the current database conventions. Redis's instrumentation writes the old names
    /// (<c>db.system</c>, <c>db.statement</c>) without it and reads it from the environment only; with it, a cache
    /// command is named as Npgsql names a query (<c>db.system.name</c>, <c>db.query.text</c>), which the trace analysis
    /// reads.
    /// </summary>
    public const string SemanticConventionOptIn = "OTEL_SEMCONV_STABILITY_OPT_IN";

    // Pinned, so that a deployment runs the server the tests ran against; Debian 12's redis-server is 7.0.
    public const string RedisImageTag = "7.4";

    /// <summary>The order cache: a Redis container, or a local Redis server when there are no containers.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddOrderCache(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure)
    {
        if (infrastructure.UsesContainers)
        {
            return builder.AddRedis(ConnectionName).WithImageTag(RedisImageTag);
        }

        return builder.AddLocalRedis(ConnectionName);
    }

    /// <summary>The service reads and writes the cache, starts once it answers, and names its spans by the current conventions.</summary>
    public static IResourceBuilder<T> WithOrderCache<T>(this IResourceBuilder<T> service, IResourceBuilder<IResourceWithConnectionString> cache)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        service
            .WithReference(cache, ConnectionName)
            .WaitFor(cache)
            .WithEnvironment(SemanticConventionOptIn, "database");

    /// <summary>
    /// Runs Debian's Redis server (<c>apt-get install redis-server</c>) on a port the AppHost picks, with a fresh working
    /// folder and no persistence: a cache that starts empty each run, as a container without a volume does.
    /// </summary>
    private static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name)
    {
        // No commas: StackExchange.Redis reads a comma as the start of its next option.
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var script = Path.Combine(builder.AppHostDirectory, "Redis", "run-local-redis.sh");
        var redis = new LocalRedisResource(name, "bash", builder.AppHostDirectory, password);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddCheck(healthCheckKey, new RedisServerHealthCheck(redis));

        return builder.AddResource(redis)
            .WithArgs(script)
            // Not proxied: the AppHost picks a free port and the server listens on it directly.
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", env: "REDIS_PORT", isProxied: false)
            .WithEnvironment("REDIS_PASSWORD", password)
            .WithHealthCheck(healthCheckKey);
    }
}
