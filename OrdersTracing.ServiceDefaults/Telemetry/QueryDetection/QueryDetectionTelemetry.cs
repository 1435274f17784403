using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>The meter, instrument and event names of query detection, and what makes a span a database query.</summary>
internal static partial class QueryDetectionTelemetry
{
    public const string MeterName = "OrdersTracing.QueryDetection";
    public const string NPlusOneCounterName = "orderstracing.db.n_plus_one";
    public const string SlowQueryCounterName = "orderstracing.db.slow_queries";
    public const string NPlusOneEventName = "n_plus_one";

    /// <summary>
    /// A span is a query when it names its database system: <c>db.system.name</c> in current semantic conventions,
    /// <c>db.system</c> in older instrumentations.
    /// </summary>
    public static bool IsDatabaseSpan(Activity activity) => IsDatabaseSpan(activity, out _);

    /// <summary>
    /// Whether the span is a database span, and its statement (none for the connection opens Npgsql also traces), in one
    /// pass over its tags that looks no further than the first two characters of a tag that is not a <c>db.</c> one:
    /// every span of the service comes here, so this must cost next to nothing and allocate nothing.
    /// </summary>
    public static bool IsDatabaseSpan(Activity activity, out string? statement)
    {
        var isDatabase = false;
        string? queryText = null;
        string? olderStatement = null;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            var key = tag.Key;
            if (key.Length < 9 || key[0] != 'd' || key[1] != 'b')
            {
                continue;
            }

            switch (key)
            {
                case TelemetryTags.DbSystemName or TelemetryTags.DbSystem:
                    isDatabase = true;
                    break;
                case TelemetryTags.DbQueryText:
                    queryText = tag.Value as string;
                    break;
                case TelemetryTags.DbStatement:
                    olderStatement = tag.Value as string;
                    break;
            }
        }

        statement = queryText ?? olderStatement;
        return isDatabase;
    }

    internal static Counter<long> CreateNPlusOneCounter(IMeterFactory meterFactory) =>
        meterFactory.Create(MeterName).CreateCounter<long>(
            NPlusOneCounterName,
            unit: "{detection}",
            description: "N+1 query patterns found in traces, by normalised statement.");

    internal static Counter<long> CreateSlowQueryCounter(IMeterFactory meterFactory) =>
        meterFactory.Create(MeterName).CreateCounter<long>(
            SlowQueryCounterName,
            unit: "{query}",
            description: "Queries slower than the configured threshold, by normalised statement.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "N+1 queries in trace {TraceId}: {Count} runs of {Statement} under one parent span took {TotalDurationMs} ms")]
    internal static partial void NPlusOneDetected(ILogger logger, string traceId, int count, string statement, double totalDurationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow query in trace {TraceId}: {Statement} took {DurationMs} ms")]
    internal static partial void SlowQueryDetected(ILogger logger, string traceId, string statement, double durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Processor} failed and skips the span; later failures are not logged")]
    internal static partial void ProcessorFailed(ILogger logger, string processor, Exception exception);
}
