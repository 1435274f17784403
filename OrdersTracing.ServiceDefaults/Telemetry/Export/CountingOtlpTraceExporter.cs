using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace OrdersTracing.ServiceDefaults.Telemetry.Export;

/// <summary>The OTLP span exporter, telling the monitor how many spans each batch delivered or lost.</summary>
internal sealed class CountingOtlpTraceExporter(OtlpExporterOptions options, SpanExportMonitor monitor) : OtlpTraceExporter(options)
{
    private readonly TimeSpan timeout = TimeSpan.FromMilliseconds(options.TimeoutMilliseconds);

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var count = batch.Count;
        var started = Stopwatch.GetTimestamp();
        var result = base.Export(batch);
        monitor.Exported(count, result == ExportResult.Success, Stopwatch.GetElapsedTime(started), timeout);
        return result;
    }
}
