using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>The meter, instruments and log messages of the live detectors.</summary>
internal static partial class QueryDetectionTelemetry
{
    public const string MeterName = "OrdersTracing.QueryDetection";
    public const string NPlusOneCounterName = "orderstracing.db.n_plus_one";
    public const string SlowQueryCounterName = "orderstracing.db.slow_queries";
    public const string FindingCounterName = "orderstracing.performance_issues";

    /// <summary>The finding counter's dimension: the detector's kind, <c>n_plus_one_db</c>, <c>consecutive_db</c>...</summary>
    public const string FindingKindTag = "performance_issue.kind";

    internal static Counter<long> CreateNPlusOneCounter(IMeterFactory meterFactory) =>
        meterFactory.Create(MeterName).CreateCounter<long>(
            NPlusOneCounterName,
            unit: "{detection}",
            description: "N+1 query patterns found in traces, by normalised statement.");

    internal static Counter<long> CreateFindingCounter(IMeterFactory meterFactory) =>
        meterFactory.Create(MeterName).CreateCounter<long>(
            FindingCounterName,
            unit: "{finding}",
            description: "Performance problems the detectors found in local roots' spans, by kind.");

    internal static Counter<long> CreateSlowQueryCounter(IMeterFactory meterFactory) =>
        meterFactory.Create(MeterName).CreateCounter<long>(
            SlowQueryCounterName,
            unit: "{query}",
            description: "Queries slower than the configured threshold, by normalised statement.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} performance problems in trace {TraceId}: {Findings}")]
    internal static partial void PerformanceIssuesDetected(ILogger logger, string traceId, int count, string findings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow query in trace {TraceId}: {Statement} took {DurationMs} ms")]
    internal static partial void SlowQueryDetected(ILogger logger, string traceId, string statement, double durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Processor} failed and skips the span; later failures are not logged")]
    internal static partial void ProcessorFailed(ILogger logger, string processor, Exception exception);
}
