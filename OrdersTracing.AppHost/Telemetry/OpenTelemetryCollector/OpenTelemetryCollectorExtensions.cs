using System.Globalization;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Telemetry;

/// <summary>
/// Where services send telemetry: traces to one place, metrics and logs to another when the Collector is scaled out; and
/// where the span metrics of every sampling-tier Collector can be scraped.
/// </summary>
public sealed record CollectorEndpoints(EndpointReference Traces, EndpointReference MetricsAndLogs, IReadOnlyList<EndpointReference> SpanMetrics);

/// <summary>The Collector as one resource call, so that Program.cs shows where telemetry goes, not how a Collector is run.</summary>
public static class OpenTelemetryCollectorExtensions
{
    // The contrib distribution: tail sampling, the span metrics connector and the Prometheus exporter are not in the core one.
    public const string ImageTag = "0.159.0";
    public const string Program = "otelcol-contrib";

    public const string SamplingConfig = "config.yaml";
    public const string DatadogConfig = "datadog.yaml";
    public const string LoadBalancerConfig = "loadbalancer.yaml";

    public const string OtlpGrpcEndpointName = "otlp-grpc";
    public const string OtlpHttpEndpointName = "otlp-http";
    public const string HealthEndpointName = "health";
    public const string PrometheusEndpointName = "prometheus";
    public const string TelemetryEndpointName = "telemetry";

    private const string ContainerConfigFolder = "/etc/otelcol-contrib";

    /// <summary>
    /// The Collector between the services and the backends (<c>Telemetry/OpenTelemetryCollector/config.yaml</c>): it tail-samples,
    /// enriches and forwards to Jaeger and the dashboard, and turns every span into Prometheus metrics. With more than one
    /// replica, tail sampling needs every span of a trace at one Collector, so a load-balancing tier
    /// (<c>loadbalancer.yaml</c>) routes traces by trace id to a sampling tier of that many Collectors.
    /// </summary>
    public static CollectorEndpoints AddOpenTelemetryCollector(
        this IDistributedApplicationBuilder builder,
        string name,
        InfrastructureChoice infrastructure,
        TelemetryPipelineParameters parameters,
        IResourceBuilder<IResourceWithEndpoints> jaeger)
    {
        var sampling = new SamplingRole(parameters, jaeger);
        var memoryLimit = parameters.CollectorMemoryLimitMib;
        if (parameters.CollectorReplicas == 1)
        {
            var collector = builder.AddCollector(name, infrastructure, memoryLimit, sampling).Resource;
            var otlp = collector.GetEndpoint(OtlpGrpcEndpointName);
            return new CollectorEndpoints(otlp, otlp, [collector.GetEndpoint(PrometheusEndpointName)]);
        }

        var samplingTier = Enumerable.Range(1, parameters.CollectorReplicas)
            .Select(replica => builder.AddCollector($"{name}-sampling-{replica}", infrastructure, memoryLimit, sampling))
            .ToList();
        var gateway = builder.AddCollector(name, infrastructure, memoryLimit, new GatewayRole(samplingTier));

        return new CollectorEndpoints(
            gateway.Resource.GetEndpoint(OtlpGrpcEndpointName),
            samplingTier[0].Resource.GetEndpoint(OtlpGrpcEndpointName),
            [.. samplingTier.Select(replica => replica.Resource.GetEndpoint(PrometheusEndpointName))]);
    }

    /// <summary>One Collector: an image with the configs built in, or the local program reading the same files.</summary>
    private static IResourceBuilder<IResourceWithEndpoints> AddCollector(
        this IDistributedApplicationBuilder builder,
        string name,
        InfrastructureChoice infrastructure,
        IResourceBuilder<ParameterResource> memoryLimit,
        CollectorRole role)
    {
        var folder = Path.Combine(builder.AppHostDirectory, "Telemetry", "OpenTelemetryCollector");

        return infrastructure.UsesContainers
            ? builder.AddDockerfile(name, folder)
                .WithBuildArg("COLLECTOR_VERSION", ImageTag)
                .WithArgs([.. role.Configs.Select(config => $"--config={ContainerConfigFolder}/{config}")])
                .WithEnvironment("COLLECTOR_MEMORY_LIMIT_MIB", memoryLimit)
                .WithRole(builder, infrastructure, role)
            : builder.AddExecutable(name, Program, builder.AppHostDirectory, [.. role.Configs.Select(config => $"--config={Path.Combine(folder, config)}")])
                .WithEnvironment("COLLECTOR_MEMORY_LIMIT_MIB", memoryLimit)
                .WithRole(builder, infrastructure, role);
    }

    private static IResourceBuilder<T> WithRole<T>(
        this IResourceBuilder<T> collector, IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, CollectorRole role)
        where T : IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport
    {
        collector
            .WithListener(infrastructure, OtlpGrpcEndpointName, 4317, "COLLECTOR_OTLP_GRPC_ENDPOINT")
            .WithListener(infrastructure, OtlpHttpEndpointName, 4318, "COLLECTOR_OTLP_HTTP_ENDPOINT")
            .WithListener(infrastructure, HealthEndpointName, 13133, "COLLECTOR_HEALTH_ENDPOINT")
            .WithListener(infrastructure, TelemetryEndpointName, 8888, hostVariable: "COLLECTOR_TELEMETRY_HOST", portVariable: "COLLECTOR_TELEMETRY_PORT")
            .WithHttpHealthCheck("/", endpointName: HealthEndpointName);

        switch (role)
        {
            case SamplingRole { Parameters: var parameters, Jaeger: var jaeger }:
                collector
                    .WithListener(infrastructure, PrometheusEndpointName, 8889, "COLLECTOR_PROMETHEUS_ENDPOINT")
                    .WithEnvironment("DEPLOYMENT_ENVIRONMENT", parameters.DeploymentEnvironment)
                    .WithEnvironment("TAIL_SAMPLING_DECISION_WAIT", parameters.DecisionWait)
                    .WithEnvironment("TAIL_SAMPLING_LATENCY_THRESHOLD_MS", parameters.LatencyThresholdMs)
                    .WithEnvironment("TAIL_SAMPLING_PERCENTAGE", parameters.SamplingPercentage)
                    .WithEnvironment("JAEGER_OTLP_ENDPOINT", jaeger.Resource.GetEndpoint(JaegerExtensions.OtlpGrpcEndpointName))
                    .WithDashboardExporter(builder)
                    .WaitFor(jaeger);
                if (parameters is { DatadogApiKey: { } apiKey, DatadogSite: { } site })
                {
                    collector.WithEnvironment("DATADOG_API_KEY", apiKey).WithEnvironment("DATADOG_SITE", site);
                }

                break;

            case GatewayRole { SamplingTier: var samplingTier }:
                collector.WithEnvironment("COLLECTOR_SAMPLING_TIER", HostList(samplingTier));
                foreach (var replica in samplingTier)
                {
                    collector.WaitFor(replica);
                }

                break;
        }

        return collector;
    }

    /// <summary>
    /// Sends what the Collector keeps on to the dashboard too. Where the AppHost runs the dashboard, its OTLP endpoint is
    /// known only once it has started; a published application names one with the <c>dashboard-otlp-endpoint</c> parameter.
    /// </summary>
    private static IResourceBuilder<T> WithDashboardExporter<T>(this IResourceBuilder<T> collector, IDistributedApplicationBuilder builder)
        where T : IResourceWithEnvironment
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The dashboard of an Azure Container Apps environment takes OTLP here, inside the environment and without
            // a key; the key of the local dashboard must never reach a published manifest.
            var endpoint = builder.AddParameter("dashboard-otlp-endpoint", "http://aspire-dashboard:18889", publishValueAsDefault: true);
            return collector
                .WithEnvironment("ASPIRE_ENDPOINT", endpoint)
                .WithEnvironment("ASPIRE_API_KEY", "")
                .WithEnvironment("ASPIRE_INSECURE", "true");
        }

        collector.WithEnvironment("ASPIRE_API_KEY", builder.Configuration["AppHost:OtlpApiKey"] ?? "");

        // Without a dashboard resource (the AppHost runs without one), the configured address, as the AppHost's own OTLP settings do.
        var configured = builder.Configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"];
        return collector.WithEnvironment(context =>
        {
            // TLS follows the OTLP endpoint's own scheme: the dashboard's browser URL (ASPNETCORE_URLS) may be https while
            // its OTLP endpoint is plain http, or the other way round.
            if (Dashboard.FindEndpoint(context, Dashboard.OtlpGrpcEndpointName) is { } dashboard)
            {
                context.EnvironmentVariables["ASPIRE_ENDPOINT"] = dashboard;
                context.EnvironmentVariables["ASPIRE_INSECURE"] = IsInsecure(dashboard.Scheme);
            }
            else if (Uri.TryCreate(configured, UriKind.Absolute, out var url))
            {
                // HostUrl turns localhost into the host's name as a container sees it.
                context.EnvironmentVariables["ASPIRE_ENDPOINT"] = new HostUrl(configured);
                context.EnvironmentVariables["ASPIRE_INSECURE"] = IsInsecure(url.Scheme);
            }
            else
            {
                // An empty endpoint would stop the Collector with a config error that does not say where the value comes from.
                throw new DistributedApplicationException(
                    "The Collector has no dashboard to send telemetry to: the AppHost runs no dashboard and " +
                    $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL is '{configured}'. Run with the dashboard, or set ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL " +
                    "to the OTLP/gRPC address of one (http://host:port).");
            }
        });
    }

    private static string IsInsecure(string scheme) =>
        string.Equals(scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) ? "false" : "true";

    /// <summary>The sampling tier as the YAML list the load-balancing exporter's static resolver reads: <c>["host:port", ...]</c>.</summary>
    private static ReferenceExpression HostList(IReadOnlyList<IResourceBuilder<IResourceWithEndpoints>> collectors)
    {
        var list = new ReferenceExpressionBuilder();
        list.AppendLiteral("[");
        for (var i = 0; i < collectors.Count; i++)
        {
            list.AppendLiteral(i == 0 ? "\"" : ", \"");
            list.AppendValueProvider(collectors[i].GetEndpoint(OtlpGrpcEndpointName).Property(EndpointProperty.HostAndPort));
            list.AppendLiteral("\"");
        }

        list.AppendLiteral("]");
        return list.Build();
    }

    private abstract record CollectorRole(string[] Configs);

    /// <summary>Tail-samples, enriches and exports; with a Datadog key, to Datadog too.</summary>
    private sealed record SamplingRole(TelemetryPipelineParameters Parameters, IResourceBuilder<IResourceWithEndpoints> Jaeger)
        : CollectorRole(Parameters.DatadogApiKey is null ? [SamplingConfig] : [SamplingConfig, DatadogConfig]);

    /// <summary>Routes each trace, by trace id, to one Collector of the sampling tier.</summary>
    private sealed record GatewayRole(IReadOnlyList<IResourceBuilder<IResourceWithEndpoints>> SamplingTier) : CollectorRole([LoadBalancerConfig]);
}
