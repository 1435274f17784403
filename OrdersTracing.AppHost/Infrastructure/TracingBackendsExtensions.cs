using OrdersTracing.AppHost.Jaeger;
using OrdersTracing.AppHost.OpenTelemetryCollector;

namespace OrdersTracing.AppHost.Infrastructure;

/// <summary>Jaeger's UI where Jaeger runs; services link traces to it.</summary>
public sealed record TracingBackends(EndpointReference? JaegerUi);

public static class TracingBackendsExtensions
{
    /// <summary>
    /// Jaeger and the Collector, as containers or as local programs; where neither can run, services export
    /// straight to the dashboard and the start-up line says how to get them.
    /// </summary>
    public static TracingBackends AddTracingBackends(this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure)
    {
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
                return new TracingBackends(JaegerUi: null);
            }
        }

        var jaeger = builder.AddJaeger("jaeger", infrastructure);
        builder.AddOpenTelemetryCollector("collector", infrastructure, jaeger);
        infrastructure.Notes.Add("Services export to the Collector, which forwards to Jaeger and the dashboard.");

        return new TracingBackends(jaeger.Resource.GetEndpoint(JaegerExtensions.UiEndpointName));
    }
}
