using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Telemetry;

/// <summary>Jaeger as one resource call, so that Program.cs and the pipeline need not know its ports or its config.</summary>
public static class JaegerExtensions
{
    // Jaeger v2 is built on the Collector and takes OTLP itself; v1's own ports (14250, 14268) are gone.
    public const string ImageTag = "2.19.0";
    public const string Program = "jaeger";

    public const string UiEndpointName = "ui";
    public const string OtlpGrpcEndpointName = "otlp-grpc";
    public const string HealthEndpointName = "health";

    /// <summary>
    /// Jaeger v2 with in-memory storage, configured by <c>Telemetry/Jaeger/config.yaml</c>: an image built with the config
    /// inside (a deployment has no bind mounts), or the local <c>jaeger</c> program reading the same file.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints> AddJaeger(
        this IDistributedApplicationBuilder builder, string name, InfrastructureChoice infrastructure)
    {
        var folder = Path.Combine(builder.AppHostDirectory, "Telemetry", "Jaeger");

        return infrastructure.UsesContainers
            ? builder.AddDockerfile(name, folder)
                .WithBuildArg("JAEGER_VERSION", ImageTag)
                .WithJaegerListeners(infrastructure)
            : builder.AddExecutable(name, Program, builder.AppHostDirectory, "--config", Path.Combine(folder, "config.yaml"))
                .WithJaegerListeners(infrastructure);
    }

    private static IResourceBuilder<T> WithJaegerListeners<T>(this IResourceBuilder<T> jaeger, InfrastructureChoice infrastructure)
        where T : IResourceWithEndpoints, IResourceWithEnvironment
    {
        return jaeger
            .WithListener(infrastructure, UiEndpointName, 16686, "JAEGER_QUERY_HTTP_ENDPOINT")
            .WithListener(infrastructure, "query-grpc", 16685, "JAEGER_QUERY_GRPC_ENDPOINT")
            .WithListener(infrastructure, OtlpGrpcEndpointName, 4317, "JAEGER_OTLP_GRPC_ENDPOINT")
            .WithListener(infrastructure, "otlp-http", 4318, "JAEGER_OTLP_HTTP_ENDPOINT")
            .WithListener(infrastructure, HealthEndpointName, 13133, "JAEGER_HEALTH_ENDPOINT")
            .WithHttpHealthCheck("/status", endpointName: HealthEndpointName)
            .WithUrlForEndpoint(UiEndpointName, url => url.DisplayText = "Jaeger UI");
    }
}
