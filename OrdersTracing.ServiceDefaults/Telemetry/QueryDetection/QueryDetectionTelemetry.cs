using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>The meter, instrument and event names of query detection, and what makes a span a database query.</summary>
public static partial class QueryDetectionTelemetry
{
    public const string MeterName = "OrdersTracing.QueryDetection";
    public const string NPlusOneCounterName = "orderstracing.db.n_plus_one";
    public const string SlowQueryCounterName = "orderstracing.db.slow_queries";
    public const string NPlusOneEventName = "n_plus_one";

    /// <summary>
    /// A span is a query when it names its database system: <c>db.system.name</c> in current semantic conventions,
    /// <c>db.system</c> in older instrumentations. A tag lookup, no allocation: every span of the service comes here.
    /// </summary>
    public static bool IsDatabaseSpan(Activity activity) =>
        activity.GetTagItem(TelemetryTags.DbSystemName) is not null || activity.GetTagItem(TelemetryTags.DbSystem) is not null;

    /// <summary>
    /// A database span that ran a statement. Npgsql also traces connection opens: database spans without a statement,
    /// which are neither part of a run of queries nor a break in one.
    /// </summary>
    public static bool IsQuery(Activity activity) => IsDatabaseSpan(activity) && StatementOf(activity) is not null;

    /// <summary>The statement as the instrumentation recorded it, under its current or its older name.</summary>
    public static string? StatementOf(Activity activity) =>
        activity.GetTagItem(TelemetryTags.DbQueryText) as string ?? activity.GetTagItem(TelemetryTags.DbStatement) as string;

    internal static Meter CreateMeter(IMeterFactory meterFactory) => meterFactory.Create(MeterName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "N+1 queries in trace {TraceId}: {Count} runs of {Statement} under one parent span took {TotalDurationMs} ms")]
    internal static partial void NPlusOneDetected(ILogger logger, string traceId, int count, string statement, double totalDurationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow query in trace {TraceId}: {Statement} took {DurationMs} ms")]
    internal static partial void SlowQueryDetected(ILogger logger, string traceId, string statement, double durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Processor} failed and skips the span; later failures are not logged")]
    internal static partial void ProcessorFailed(ILogger logger, string processor, Exception exception);
}
