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

    public const string BaseConfig = "config.yaml";
    public const string MonitorConfig = "monitor.yaml";

    /// <summary>Where Badger's folder is in the image: owned by Jaeger's user, so that a new named volume mounted there is too.</summary>
    public const string BadgerContainerDirectory = "/badger";

    /// <summary>The Monitor tab's path in Jaeger's UI (service performance monitoring).</summary>
    public const string MonitorPath = "/monitor";

    private const string ContainerConfigFolder = "/etc/jaeger";

    /// <summary>The overlay that defines the trace store: <c>badger.yaml</c>, <c>elasticsearch.yaml</c> or <c>opensearch.yaml</c>.</summary>
    public static string StoreConfig(TraceStore store) => $"{store.ToString().ToLowerInvariant()}.yaml";

    /// <summary>
    /// Jaeger v2 configured by <c>Telemetry/Jaeger/config.yaml</c> and the overlay of its trace store: an image built with
    /// the configs inside (a deployment has no bind mounts), or the local <c>jaeger</c> program reading the same files.
    /// Badger keeps its data on a named volume in a container, and in a folder of this AppHost run locally, so that traces
    /// outlive a restart of Jaeger.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints> AddJaeger(
        this IDistributedApplicationBuilder builder, string name, InfrastructureChoice infrastructure, TelemetryPipelineParameters parameters)
    {
        var folder = Path.Combine(builder.AppHostDirectory, "Telemetry", "Jaeger");
        string[] configs = [BaseConfig, StoreConfig(parameters.TraceStore)];

        if (infrastructure.UsesContainers)
        {
            var container = builder.AddDockerfile(name, folder)
                .WithBuildArg("JAEGER_VERSION", ImageTag)
                .WithArgs([.. configs.SelectMany(config => new[] { "--config", $"{ContainerConfigFolder}/{config}" })]);
            if (parameters.TraceStore == TraceStore.Badger)
            {
                container
                    .WithVolume(VolumeNameGenerator.Generate(container, "badger"), BadgerContainerDirectory)
                    .WithEnvironment("JAEGER_BADGER_DIRECTORY", BadgerContainerDirectory);
            }

            return container.WithTraceStore(parameters).WithJaegerListeners(infrastructure);
        }

        var local = builder.AddExecutable(name, Program, builder.AppHostDirectory,
            [.. configs.SelectMany(config => new[] { "--config", Path.Combine(folder, config) })]);
        if (parameters.TraceStore == TraceStore.Badger)
        {
            // One folder per AppHost run: it survives Jaeger's restarts, and two AppHosts never share Badger's lock. Badger creates it.
            local.WithEnvironment("JAEGER_BADGER_DIRECTORY", Path.Combine(Path.GetTempPath(), $"orderstracing-jaeger-{Guid.NewGuid():N}"));
        }

        return local.WithTraceStore(parameters).WithJaegerListeners(infrastructure);
    }

    /// <summary>
    /// Lights Jaeger's Monitor tab: <c>monitor.yaml</c> points <c>jaeger_query</c>'s metrics storage at the Prometheus
    /// that scrapes the Collector's span metrics, and the dashboard links straight to the tab.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints> WithMonitor(
        this IResourceBuilder<IResourceWithEndpoints> jaeger, IResourceBuilder<IResourceWithEndpoints> prometheus)
    {
        var config = jaeger.Resource is ContainerResource
            ? $"{ContainerConfigFolder}/{MonitorConfig}"
            : Path.Combine(jaeger.ApplicationBuilder.AppHostDirectory, "Telemetry", "Jaeger", MonitorConfig);

        var endpoint = prometheus.Resource.GetEndpoint(PrometheusExtensions.HttpEndpointName);

        // Annotations, not WithArgs/WithEnvironment: the Jaeger resource is a container or an executable, and those take
        // only a builder of one of the two.
        return jaeger
            .WithAnnotation(new CommandLineArgsCallbackAnnotation(args =>
            {
                args.Add("--config");
                args.Add(config);
            }))
            .WithAnnotation(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables["PROMETHEUS_ENDPOINT"] = endpoint))
            .WithUrls(context =>
            {
                if (context.Urls.FirstOrDefault(url => url.Endpoint?.EndpointName == UiEndpointName) is { } ui)
                {
                    context.Urls.Add(new ResourceUrlAnnotation { Url = ui.Url.TrimEnd('/') + MonitorPath, DisplayText = "Jaeger Monitor", Endpoint = ui.Endpoint });
                }
            });
    }

    private static IResourceBuilder<T> WithTraceStore<T>(this IResourceBuilder<T> jaeger, TelemetryPipelineParameters parameters)
        where T : IResourceWithEnvironment
    {
        if (parameters.TraceRetention is { } retention)
        {
            jaeger.WithEnvironment("JAEGER_TRACE_RETENTION", retention);
        }

        if (parameters.ElasticsearchUrls is { } urls)
        {
            jaeger.WithEnvironment("ELASTICSEARCH_URLS", urls);
        }

        return jaeger;
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
