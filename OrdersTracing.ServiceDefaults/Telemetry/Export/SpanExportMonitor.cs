using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.ServiceDefaults.Telemetry.Export;

/// <summary>
/// Counts the spans that never reach the telemetry backend and says so, as a metric and as a log line. The SDK's batch
/// processor counts its drops only internally and reports them once, at shutdown; an operator whose backend is down
/// needs to know while it is down. The instruments follow the OpenTelemetry SDK self-observability conventions.
/// </summary>
internal sealed partial class SpanExportMonitor : IDisposable
{
    public const string MeterName = "OrdersTracing.Telemetry.Export";
    public const string ProcessedCounterName = "otel.sdk.processor.span.processed";
    public const string ExportedCounterName = "otel.sdk.exporter.span.exported";
    public const string QueueSizeName = "otel.sdk.processor.span.queue.size";
    public const string QueueCapacityName = "otel.sdk.processor.span.queue.capacity";

    /// <summary>The <c>error.type</c> of a span the processor refused because the export queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The <c>error.type</c> of spans whose export took the whole exporter timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The <c>error.type</c> of spans the exporter failed to deliver for another reason (refused, reset, rejected).</summary>
    public const string ExportFailed = "export_failed";

    /// <summary>Drops are logged once per interval in which there were any, so a backend down for an hour does not flood the logs.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    private const string SpanUnit = "{span}";

    private readonly Meter meter;
    private readonly Counter<long> processed;
    private readonly Counter<long> exported;
    private readonly ILogger logger;
    private readonly string endpoint;
    private readonly ITimer reporter;

    private long pending;
    private long droppedSinceReport;
    private long droppedTotal;
    private string lastReason = "";

    public SpanExportMonitor(int queueCapacity, string endpoint, IMeterFactory meters, ILogger logger, TimeProvider clock)
    {
        meter = meters.Create(MeterName);
        QueueCapacity = queueCapacity;
        this.endpoint = endpoint;
        this.logger = logger;
        // A timer rather than the thread that drops: that may be a request's, and the exporter's suppresses
        // instrumentation, which would keep the line out of the exported logs.
        reporter = clock.CreateTimer(static state => ((SpanExportMonitor)state!).Report(), this, ReportInterval, ReportInterval);

        processed = meter.CreateCounter<long>(ProcessedCounterName, SpanUnit, "Spans handled by the export queue; error.type says why one was dropped.");
        exported = meter.CreateCounter<long>(ExportedCounterName, SpanUnit, "Spans handed to the OTLP exporter; error.type says why a batch was lost.");
        meter.CreateObservableUpDownCounter(QueueSizeName, () => Volatile.Read(ref pending), SpanUnit, "Spans waiting for export.");
        meter.CreateObservableUpDownCounter(QueueCapacityName, () => (long)QueueCapacity, SpanUnit, "The most spans that wait for export.");
    }

    /// <summary>The most spans held for export; past it new spans are dropped, so a dead backend cannot grow memory.</summary>
    public int QueueCapacity { get; }

    /// <summary>Spans lost so far, in the queue or in failed exports.</summary>
    public long DroppedTotal => Interlocked.Read(ref droppedTotal);

    /// <summary>Takes a place in the export queue for one span; false, and the span counted as dropped, when it is full.</summary>
    public bool TryEnqueue()
    {
        if (Interlocked.Increment(ref pending) <= QueueCapacity)
        {
            return true;
        }

        Interlocked.Decrement(ref pending);
        processed.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ErrorType, QueueFull));
        Drop(1, QueueFull);
        return false;
    }

    /// <summary>Records the outcome of one export call; runs on the exporter's thread, once per batch.</summary>
    public void Exported(long count, bool succeeded, TimeSpan took, TimeSpan timeout)
    {
        Interlocked.Add(ref pending, -count);
        processed.Add(count);
        if (succeeded)
        {
            exported.Add(count);
            return;
        }

        // The exporter says only that it failed; a failure that used up (nearly) the whole timeout is a backend that hangs,
        // or one retried until the deadline (Aspire turns on the exporter's in-memory retries).
        var reason = took >= timeout * 0.9 ? Timeout : ExportFailed;
        exported.Add(count, new KeyValuePair<string, object?>(TelemetryTags.ErrorType, reason));
        Drop(count, reason);
    }

    public void Dispose()
    {
        reporter.Dispose();
        Report();
        meter.Dispose();
    }

    private void Drop(long count, string reason)
    {
        Interlocked.Add(ref droppedTotal, count);
        Interlocked.Add(ref droppedSinceReport, count);
        lastReason = reason;
    }

    private void Report()
    {
        var dropped = Interlocked.Exchange(ref droppedSinceReport, 0);
        if (dropped > 0)
        {
            SpansDropped(logger, dropped, DroppedTotal, lastReason, endpoint, ReportInterval.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Telemetry export dropped {DroppedSpans} span(s) in the last {IntervalSeconds} s ({DroppedTotal} since start, last reason {Reason}): the backend at {Endpoint} is unreachable, slow or refusing them")]
    private static partial void SpansDropped(ILogger logger, long droppedSpans, long droppedTotal, string reason, string endpoint, double intervalSeconds);
}
