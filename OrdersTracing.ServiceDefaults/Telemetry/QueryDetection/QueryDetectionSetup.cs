using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

internal static class QueryDetectionSetup
{
    /// <summary>
    /// Adds the detectors that <see cref="QueryDetectionOptions"/> leaves on. Call it before adding an exporter:
    /// processors run in the order they are added, and the exporter must see the tags the detectors add.
    /// </summary>
    public static TracerProviderBuilder AddQueryDetection(this TracerProviderBuilder tracing) =>
        // Deferred until the options can be read, so that a detector switched off costs nothing per span.
        tracing.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider((provider, builder) =>
        {
            var options = provider.GetRequiredService<IOptions<QueryDetectionOptions>>().Value;
            if (options.DetectorsEnabled)
            {
                builder.AddProcessor(ActivatorUtilities.CreateInstance<PerformanceDetectionProcessor>(provider));
            }

            if (options.SlowQueryEnabled)
            {
                builder.AddProcessor(ActivatorUtilities.CreateInstance<SlowQueryDetectionProcessor>(provider));
            }
        }));
}
