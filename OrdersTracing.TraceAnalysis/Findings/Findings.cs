namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Everything the Trace doctor reports about one trace, as records: the detector family's findings for each service's
/// part of it, each with what it cost the request on the critical path. Which of them, if any, is the request's root
/// cause is the <see cref="Diagnoser"/>'s to say.
/// </summary>
public static class Findings
{
    public static IReadOnlyList<Finding> Of(IReadOnlyList<TraceSpan> trace) => Of(CriticalPath.Compute(trace), trace);

    public static IReadOnlyList<Finding> Of(CriticalPathResult criticalPath, IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(criticalPath);
        ArgumentNullException.ThrowIfNull(trace);

        var onPath = criticalPath.Spans.ToDictionary(timing => timing.Span.SpanId, timing => timing.OnCriticalPath);
        return
        [
            .. StoredTraceDetection.Find(trace, thresholds).Select(finding => finding with
            {
                CriticalPathCost = finding.EvidenceSpanIds.Aggregate(TimeSpan.Zero, (sum, id) => sum + onPath.GetValueOrDefault(id)),
            }),
        ];
    }
}
