using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace OrdersTracing.ServiceDefaults.Telemetry.Export;

internal static class SpanExportExtensions
{
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    /// <summary>
    /// OTLP span export through a bounded queue whose losses are counted (<see cref="SpanExportMonitor"/>). The standard
    /// variables keep their meaning: <c>OTEL_EXPORTER_OTLP_*</c> for the exporter (timeout 10 s unless
    /// <c>OTEL_EXPORTER_OTLP_TIMEOUT</c> says otherwise), <c>OTEL_BSP_*</c> for the batches (at most
    /// <c>OTEL_BSP_MAX_QUEUE_SIZE</c>, 2048 by default, spans waiting).
    /// </summary>
    public static TracerProviderBuilder AddCountedOtlpExporter(this TracerProviderBuilder tracing)
    {
        tracing.ConfigureServices(services => services.AddSingleton(CreateMonitor));
        return tracing.AddProcessor(services =>
        {
            var options = CreateExporterOptions(services.GetRequiredService<IConfiguration>());
            var monitor = services.GetRequiredService<SpanExportMonitor>();
            return new BoundedBatchExportProcessor(new CountingOtlpTraceExporter(options, monitor), monitor, options.BatchExportProcessorOptions);
        });
    }

    private static SpanExportMonitor CreateMonitor(IServiceProvider services)
    {
        var options = CreateExporterOptions(services.GetRequiredService<IConfiguration>());
        return new SpanExportMonitor(
            options.BatchExportProcessorOptions.MaxQueueSize,
            // Scheme, host and port only: user information in the endpoint must not reach the log line.
            $"{options.Endpoint.Scheme}://{options.Endpoint.Host}:{options.Endpoint.Port}",
            services.GetRequiredService<IMeterFactory>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SpanExportMonitor).FullName!),
            services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    /// <summary>
    /// The exporter's options read the standard variables from the environment; the traces-only endpoint, which only the
    /// SDK's <c>UseOtlpExporter</c> reads, is applied here, as is, as the specification asks of signal endpoints.
    /// </summary>
    private static OtlpExporterOptions CreateExporterOptions(IConfiguration configuration)
    {
        var options = new OtlpExporterOptions();
        if (configuration[TracesEndpointVariable] is { Length: > 0 } traces && Uri.TryCreate(traces, UriKind.Absolute, out var endpoint))
        {
            options.Endpoint = endpoint;
        }

        return options;
    }
}
