namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Slow queries: a SQL query lasting at least <see cref="DetectionThresholds.SlowQueryThreshold"/>, one finding per
/// normalised statement (Sentry's <c>SlowDBQueryDetector</c>, <c>slow_db_query_detector.py</c>, fingerprints by the
/// span's hash the same way).
/// </summary>
/// <remarks>
/// Deliberate departures, each pinned by a test: Sentry looks at <c>SELECT</c> statements only; here every statement
/// counts, because a write waiting on a lock slows the request just as much. And the finding lists every slow run of
/// its statement as evidence, where Sentry keeps the first.
/// </remarks>
internal static class SlowDbQueryDetector
{
    /// <summary>The rule for one span, which the live processor also applies as each query ends.</summary>
    public static bool IsSlow(in DetectedSpan span, DetectionThresholds thresholds) =>
        span.IsQuery && span.Duration >= thresholds.SlowQueryThreshold;

    public static void Find(DetectionContext context)
    {
        if (context.QueryCount == 0 || !AnySlow(context))
        {
            return;
        }

        foreach (var group in context.Spans.Where(span => IsSlow(span, context.Thresholds)).GroupBy(span => span.Statement!, StringComparer.Ordinal))
        {
            var slow = group.ToList();
            context.Report(new Finding(FindingKind.SlowDbQuery, context.Service, DetectionContext.Ids(slow), group.Key, slow.Count, IntervalUnion.Of(slow))
            {
                ParentSpanId = slow.All(span => span.ParentSpanId == slow[0].ParentSpanId) ? DetectionContext.Id(slow[0].ParentSpanId) : null,
            });
        }
    }

    private static bool AnySlow(DetectionContext context)
    {
        foreach (var span in context.Spans)
        {
            if (IsSlow(span, context.Thresholds))
            {
                return true;
            }
        }

        return false;
    }
}
