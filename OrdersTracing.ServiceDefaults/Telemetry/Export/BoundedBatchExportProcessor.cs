using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OrdersTracing.ServiceDefaults.Telemetry.Export;

/// <summary>
/// The SDK's batch processor behind a gate that counts: a span is only queued while fewer than the queue's capacity
/// wait for export (queued or in the batch being sent), so every span lost to a full queue is one the monitor saw.
/// Ending a span never waits on the exporter.
/// </summary>
internal sealed class BoundedBatchExportProcessor(BaseExporter<Activity> exporter, SpanExportMonitor monitor, BatchExportProcessorOptions<Activity> options)
    // The inner queue has room for the batch in flight too, so that only the gate ever drops.
    : BatchActivityExportProcessor(
        exporter,
        monitor.QueueCapacity + options.MaxExportBatchSize,
        options.ScheduledDelayMilliseconds,
        options.ExporterTimeoutMilliseconds,
        options.MaxExportBatchSize)
{
    public override void OnEnd(Activity data)
    {
        if (data.Recorded && monitor.TryEnqueue())
        {
            base.OnEnd(data);
        }
    }
}
