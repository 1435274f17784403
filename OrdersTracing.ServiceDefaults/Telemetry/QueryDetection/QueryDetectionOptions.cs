using System.ComponentModel.DataAnnotations;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// When a trace is marked as having an N+1 or a slow query; bound from <c>Tracing:QueryDetection</c> and validated
/// at start-up, so that a threshold of zero stops the service instead of flagging every request. The defaults are
/// <see cref="QueryFindings"/>' own, so that the live marks and the Trace doctor's findings agree.
/// </summary>
internal sealed class QueryDetectionOptions
{
    public const string SectionName = "Tracing:QueryDetection";

    /// <summary>Whether repeated queries under one parent span mark the trace.</summary>
    public bool NPlusOneEnabled { get; set; } = true;

    /// <summary>How many identical queries in a row make an N+1; Sentry's default.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MinimumRepeatedQueries must be at least 2.")]
    public int MinimumRepeatedQueries { get; set; } = QueryFindings.DefaultMinimumRepetitions;

    /// <summary>How long the repeated queries must take together; a fast loop is not worth an alert.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:MinimumTotalDuration must be between 0 and 1 day.")]
    public TimeSpan MinimumTotalDuration { get; set; } = QueryFindings.DefaultMinimumTotalDuration;

    /// <summary>Whether a database span longer than <see cref="SlowQueryThreshold"/> is marked.</summary>
    public bool SlowQueryEnabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:SlowQueryThreshold must be between 1 ms and 1 day.")]
    public TimeSpan SlowQueryThreshold { get; set; } = QueryFindings.DefaultSlowQueryThreshold;

    /// <summary>
    /// How many traces the N+1 detector follows at once; beyond it the oldest is dropped, so a flood of requests
    /// (or roots that never end) cannot grow memory without bound.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MaxTrackedTraces must be at least 1.")]
    public int MaxTrackedTraces { get; set; } = 10_000;
}
