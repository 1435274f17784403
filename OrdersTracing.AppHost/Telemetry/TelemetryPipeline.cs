using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Telemetry;

/// <summary>What the services need to know about the telemetry pipeline: its settings, where to export, where to look.</summary>
public sealed record TelemetryPipeline(TelemetryPipelineParameters Parameters, CollectorEndpoints? Collector, EndpointReference? JaegerUi);

/// <summary>Adds the pipeline and routes each service into it, so that every service exports and samples alike.</summary>
public static class TelemetryPipelineExtensions
{
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string OtlpTracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    /// <summary>
    /// Run mode only: where every service sends its telemetry instead of the dashboard or the Collector, for example a
    /// proxy that plays a dead or hung backend (<c>./run.sh --Telemetry:OtlpEndpoint=http://127.0.0.1:4999</c>).
    /// It speaks the protocol the AppHost gives the services (gRPC, as the dashboard does).
    /// </summary>
    public const string OtlpEndpointOverrideKey = "Telemetry:OtlpEndpoint";

    /// <summary>
    /// Jaeger and the Collector, as containers or as local programs; where they cannot run, services export straight
    /// to the dashboard and the start-up line says how to get them.
    /// </summary>
    public static TelemetryPipeline AddTelemetryPipeline(this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure)
    {
        var parameters = TelemetryPipelineParameters.Add(builder);

        if (!infrastructure.UsesContainers)
        {
            var missing = new[] { JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program }
                .Where(program => ListenerExtensions.FindOnPath(program) is null)
                .ToList();
            if (missing.Count > 0)
            {
                infrastructure.Notes.Add(
                    $"Jaeger and the Collector are left out ({string.Join(" and ", missing)} not on PATH); services export straight to the dashboard. " +
                    "To run them locally, put the jaeger (v2) and otelcol-contrib release binaries on PATH, or use a machine with a container runtime.");
                return new TelemetryPipeline(parameters, Collector: null, JaegerUi: null);
            }
        }

        var jaeger = builder.AddJaeger("jaeger", infrastructure, parameters);
        var collector = builder.AddOpenTelemetryCollector("collector", infrastructure, parameters, jaeger);
        infrastructure.Notes.Add(
            $"Services export to the Collector ({parameters.CollectorReplicas} sampling replica(s)), which forwards to Jaeger ({parameters.TraceStore} store) and the dashboard.");

        // Container mode only: a local Prometheus would be one more program to install, and the traces need none of it.
        if (infrastructure.UsesContainers)
        {
            jaeger.WithMonitor(builder.AddPrometheus("prometheus", collector.SpanMetrics));
        }
        else
        {
            infrastructure.Notes.Add("Jaeger's Monitor tab stays dark: Prometheus runs in container mode only.");
        }

        return new TelemetryPipeline(parameters, collector, jaeger.Resource.GetEndpoint(JaegerExtensions.UiEndpointName));
    }

    /// <summary>
    /// Labels a service's telemetry with the deployment environment, samples it parent-based at the head sampling
    /// ratio, and sends it through the Collector where one runs.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetry(this IResourceBuilder<ProjectResource> service, TelemetryPipeline telemetry)
    {
        service.WithEnvironment("Tracing__DeploymentEnvironment", telemetry.Parameters.DeploymentEnvironment);

        if (service.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            // A published application gets none of the OTLP settings the AppHost gives its processes in run mode.
            return service
                .WithEnvironment("OTEL_SERVICE_NAME", service.Resource.Name)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                .WithEnvironment(context => SetOtlpSettings(context, telemetry));
        }

        // The AppHost sets OTLP settings of its own in a callback (the dashboard as endpoint, always_on as sampler);
        // only a callback added after it, at start-up, wins.
        var endpointOverride = service.ApplicationBuilder.Configuration[OtlpEndpointOverrideKey];
        service.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            service.Resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                SetOtlpSettings(context, telemetry);
                if (endpointOverride is { Length: > 0 })
                {
                    context.EnvironmentVariables[OtlpEndpointVariable] = endpointOverride;
                    context.EnvironmentVariables.Remove(OtlpTracesEndpointVariable);
                }
            }));
            return Task.CompletedTask;
        });

        return service;
    }

    private static void SetOtlpSettings(EnvironmentCallbackContext context, TelemetryPipeline telemetry)
    {
        // The standard variables, so that the choice reads the same in every OpenTelemetry SDK.
        context.EnvironmentVariables["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio";
        context.EnvironmentVariables["OTEL_TRACES_SAMPLER_ARG"] = telemetry.Parameters.HeadSamplingRatio.Resource;

        if (telemetry.Collector is { } collector)
        {
            SetOtlpEndpoints(context, collector);
        }
    }

    private static void SetOtlpEndpoints(EnvironmentCallbackContext context, CollectorEndpoints collector)
    {
        context.EnvironmentVariables[OtlpEndpointVariable] = collector.MetricsAndLogs;
        if (collector.Traces != collector.MetricsAndLogs)
        {
            context.EnvironmentVariables[OtlpTracesEndpointVariable] = collector.Traces;
        }
    }
}
