using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// Marks a query that took at least <see cref="QueryDetectionOptions.SlowQueryThreshold"/>, and the local root span of
/// its trace, so that a slow request can be traced to its query with one search on the root spans.
/// </summary>
/// <remarks>
/// Sentry's slow DB query detector uses the same "at least the threshold" rule but looks at <c>SELECT</c> statements
/// only; here every statement counts, because a write waiting on a lock slows the request just as much.
/// </remarks>
internal sealed class SlowQueryDetectionProcessor : BaseProcessor<Activity>
{
    private readonly TimeSpan threshold;
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
        threshold = options.Value.SlowQueryThreshold;
        this.logger = logger;
        slowQueries = QueryDetectionTelemetry.CreateSlowQueryCounter(meterFactory);
        failures = new DetectorFailureLog(logger, nameof(SlowQueryDetectionProcessor));
    }

    public override void OnEnd(Activity activity)
    {
        if (activity.Duration < threshold || !QueryDetectionTelemetry.IsDatabaseSpan(activity, out var statement) || statement is null)
        {
            return;
        }

        try
        {
            MarkSlowQuery(activity, StatementShapes.Of(statement));
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
