using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Jaeger;

public static class JaegerExtensions
{
    // Jaeger v2 is built on the Collector and takes OTLP itself; v1's own ports (14250, 14268) are gone.
    public const string Registry = "quay.io";
    public const string Image = "jaegertracing/jaeger";
    public const string ImageTag = "2.19.0";
    public const string Program = "jaeger";

    public const string UiEndpointName = "ui";
    public const string OtlpGrpcEndpointName = "otlp-grpc";
    public const string HealthEndpointName = "health";

    /// <summary>Jaeger v2 with in-memory storage, configured by <c>Jaeger/config.yaml</c>.</summary>
    public static IResourceBuilder<IResourceWithEndpoints> AddJaeger(
        this IDistributedApplicationBuilder builder, string name, InfrastructureChoice infrastructure)
    {
        var config = Path.Combine(builder.AppHostDirectory, "Jaeger", "config.yaml");

        return infrastructure.UsesContainers
            ? builder.AddContainer(name, Image, ImageTag)
                .WithImageRegistry(Registry)
                .WithBindMount(config, "/etc/jaeger/config.yaml", isReadOnly: true)
                .WithArgs("--config", "/etc/jaeger/config.yaml")
                .WithJaegerListeners(infrastructure)
            : builder.AddExecutable(name, Program, builder.AppHostDirectory, "--config", config)
                .WithJaegerListeners(infrastructure);
    }

    private static IResourceBuilder<IResourceWithEndpoints> WithJaegerListeners<T>(this IResourceBuilder<T> jaeger, InfrastructureChoice infrastructure)
        where T : class, IResourceWithEndpoints, IResourceWithEnvironment
    {
        return jaeger
            .WithListener(infrastructure, UiEndpointName, 16686, "JAEGER_QUERY_HTTP_ENDPOINT")
            .WithListener(infrastructure, "query-grpc", 16685, "JAEGER_QUERY_GRPC_ENDPOINT")
            .WithListener(infrastructure, OtlpGrpcEndpointName, 4317, "JAEGER_OTLP_GRPC_ENDPOINT")
            .WithListener(infrastructure, "otlp-http", 4318, "JAEGER_OTLP_HTTP_ENDPOINT")
            .WithListener(infrastructure, HealthEndpointName, 13133, "JAEGER_HEALTH_ENDPOINT")
            .WithHttpHealthCheck("/status", endpointName: HealthEndpointName);
    }
}
