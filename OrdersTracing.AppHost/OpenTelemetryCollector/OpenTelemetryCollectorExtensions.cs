using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Jaeger;

namespace OrdersTracing.AppHost.OpenTelemetryCollector;

public static class OpenTelemetryCollectorExtensions
{
    // The contrib distribution: tail sampling, spanmetrics and the Prometheus exporter are not in the core one.
    public const string Registry = "ghcr.io";
    public const string Image = "open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib";
    public const string ImageTag = "0.159.0";
    public const string Program = "otelcol-contrib";

    public const string OtlpGrpcEndpointName = "otlp-grpc";
    public const string OtlpHttpEndpointName = "otlp-http";
    public const string HealthEndpointName = "health";

    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The Collector between the services and the backends, configured by <c>OpenTelemetryCollector/config.yaml</c>:
    /// it forwards to Jaeger and to the Aspire dashboard, and every service's OTLP exporter is pointed at it.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints> AddOpenTelemetryCollector(
        this IDistributedApplicationBuilder builder, string name, InfrastructureChoice infrastructure, IResourceBuilder<IResourceWithEndpoints> jaeger)
    {
        var config = Path.Combine(builder.AppHostDirectory, "OpenTelemetryCollector", "config.yaml");

        IResourceBuilder<IResourceWithEndpoints> collector = infrastructure.UsesContainers
            ? builder.AddContainer(name, Image, ImageTag)
                .WithImageRegistry(Registry)
                .WithBindMount(config, "/etc/otelcol-contrib/config.yaml", isReadOnly: true)
                .WithArgs("--config=/etc/otelcol-contrib/config.yaml")
                .WithCollectorSettings(builder, infrastructure, jaeger)
            : builder.AddExecutable(name, Program, builder.AppHostDirectory, $"--config={config}")
                .WithCollectorSettings(builder, infrastructure, jaeger);

        builder.RouteOtlpThrough(collector.Resource);
        return collector;
    }

    private static IResourceBuilder<T> WithCollectorSettings<T>(
        this IResourceBuilder<T> collector, IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, IResourceBuilder<IResourceWithEndpoints> jaeger)
        where T : class, IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport
    {
        var dashboardIsHttps = builder.Configuration["ASPNETCORE_URLS"]?.StartsWith("https", StringComparison.OrdinalIgnoreCase) ?? false;

        return collector
            .WithListener(infrastructure, OtlpGrpcEndpointName, 4317, "COLLECTOR_OTLP_GRPC_ENDPOINT")
            .WithListener(infrastructure, OtlpHttpEndpointName, 4318, "COLLECTOR_OTLP_HTTP_ENDPOINT")
            .WithListener(infrastructure, HealthEndpointName, 13133, "COLLECTOR_HEALTH_ENDPOINT")
            .WithHttpHealthCheck("/", endpointName: HealthEndpointName)
            .WithEnvironment("JAEGER_OTLP_ENDPOINT", jaeger.Resource.GetEndpoint(JaegerExtensions.OtlpGrpcEndpointName))
            .WithEnvironment(context =>
            {
                if (Dashboard.FindEndpoint(context, Dashboard.OtlpGrpcEndpointName) is { } dashboard)
                {
                    context.EnvironmentVariables["ASPIRE_ENDPOINT"] = dashboard;
                }
            })
            .WithEnvironment("ASPIRE_API_KEY", builder.Configuration["AppHost:OtlpApiKey"] ?? "")
            .WithEnvironment("ASPIRE_INSECURE", dashboardIsHttps ? "false" : "true")
            .WaitFor(jaeger);
    }

    /// <summary>
    /// Points every OTLP exporter at the Collector. It must run in <see cref="BeforeStartEvent"/>: the AppHost sets
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> to the dashboard in a callback of its own, and only a later callback wins.
    /// </summary>
    private static void RouteOtlpThrough(this IDistributedApplicationBuilder builder, IResourceWithEndpoints collector)
    {
        var endpoint = collector.GetEndpoint(OtlpGrpcEndpointName);

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var resource in @event.Model.Resources.Where(resource => resource != collector))
            {
                resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    if (context.EnvironmentVariables.ContainsKey(OtlpEndpointVariable))
                    {
                        context.EnvironmentVariables[OtlpEndpointVariable] = endpoint;
                    }
                }));
            }

            return Task.CompletedTask;
        });
    }
}
