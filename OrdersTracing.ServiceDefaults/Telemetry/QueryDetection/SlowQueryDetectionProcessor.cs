using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// Marks a query that took at least <see cref="QueryDetectionOptions.SlowQueryThreshold"/>, and the local root span of
/// its trace, so that a slow request can be traced to its query with one search on the root spans.
/// </summary>
/// <remarks>
/// The rule is the detector family's (<see cref="Detectors.IsSlowQuery"/>), applied as each query ends so that the
/// query itself can still take its mark; the finding on the root comes from <see cref="PerformanceDetectionProcessor"/>.
/// </remarks>
internal sealed class SlowQueryDetectionProcessor : BaseProcessor<Activity>
{
    private readonly QueryDetectionOptions options;
    private readonly ILogger logger;
    private readonly Counter<long> slowQueries;
    private readonly DetectorFailureLog failures;

    // Guards the read-increment-write of a root's count; taken only for slow queries.
    private readonly Lock rootGate = new();

    public SlowQueryDetectionProcessor(
        IOptions<QueryDetectionOptions> options,
        ILogger<SlowQueryDetectionProcessor> logger,
        IMeterFactory meterFactory)
    {
        this.options = options.Value;
        this.logger = logger;
        slowQueries = QueryDetectionTelemetry.CreateSlowQueryCounter(meterFactory);
        failures = new DetectorFailureLog(logger, nameof(SlowQueryDetectionProcessor));
    }

    public override void OnEnd(Activity activity)
    {
        if (activity.Duration < options.SlowQueryThreshold)
        {
            return;
        }

        try
        {
            var span = ActivitySpans.Read(activity);
            if (Detectors.IsSlowQuery(span, options))
            {
                MarkSlowQuery(activity, span.Statement!);
            }
        }
        catch (Exception exception)
        {
            failures.Record(exception);
        }
    }

    private void MarkSlowQuery(Activity query, string statement)
    {
        query.SetTag(TelemetryTags.DbSlowQuery, true);
        query.SetTag(TelemetryTags.DbSlowQueryStatement, statement);

        // The local root ends after the query, so it is still open and can take tags.
        var root = query.LocalRoot();

        lock (rootGate)
        {
            var count = root.GetTagItem(TelemetryTags.SlowQueryCount) is int marked ? marked + 1 : 1;
            root.SetTag(TelemetryTags.SlowQueryDetected, true);
            root.SetTag(TelemetryTags.SlowQueryCount, count);
        }

        slowQueries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.DbQueryText, statement));
        QueryDetectionTelemetry.SlowQueryDetected(logger, query.TraceId.ToHexString(), statement, query.Duration.TotalMilliseconds);
    }
}
