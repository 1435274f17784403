using System.ComponentModel.DataAnnotations;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// When a trace is marked as having a performance problem; bound from <c>Tracing:QueryDetection</c> and validated at
/// start-up, so that a threshold of zero stops the service instead of flagging every request. The thresholds are
/// <see cref="DetectionThresholds"/>' own, the Trace doctor's, so that the live marks and its findings agree.
/// </summary>
internal sealed class QueryDetectionOptions : DetectionThresholds
{
    /// <summary>Whether the detector family runs over each local root's spans.</summary>
    public bool DetectorsEnabled { get; set; } = true;

    /// <summary>Whether a query longer than <see cref="DetectionThresholds.SlowQueryThreshold"/> is marked as it ends.</summary>
    public bool SlowQueryEnabled { get; set; } = true;

    /// <summary>
    /// How many local roots the detectors follow at once; beyond it the oldest is dropped, so a flood of requests
    /// (or roots that never end) cannot grow memory without bound.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MaxTrackedTraces must be at least 1.")]
    public int MaxTrackedTraces { get; set; } = 10_000;

    /// <summary>How many spans of one local root are kept for the detectors; Sentry caps a transaction's spans at 1 000 too.</summary>
    [Range(16, 100_000, ErrorMessage = "Tracing:QueryDetection:MaxSpansPerRoot must be between 16 and 100000.")]
    public int MaxSpansPerRoot { get; set; } = 1_000;
}
