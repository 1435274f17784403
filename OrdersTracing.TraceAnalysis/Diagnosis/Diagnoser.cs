namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Names a trace's root causes, most important first: errors at their origin, then time charged to the deepest span
/// where it was spent on the critical path.
/// </summary>
public static class Diagnoser
{
    /// <summary>The root causes of one trace, most important first; none for a healthy trace.</summary>
    public static IReadOnlyList<RootCause> Diagnose(IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return [];
    }
}
