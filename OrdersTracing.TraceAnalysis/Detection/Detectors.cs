namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The detector family, run over one service's part of a trace. The live span processors call it when a local root
/// ends, the Trace doctor for every local root of a stored trace: one rule per detector, whichever path.
/// </summary>
public static class Detectors
{
    /// <param name="service">The service the spans belong to.</param>
    /// <param name="root">The local root span: a request's server span, a worker iteration's span.</param>
    /// <param name="spans">The other spans under it in this service, in any order; sorted and filtered in place.</param>
    public static IReadOnlyList<Finding> Find(string service, in DetectedSpan root, List<DetectedSpan> spans, DetectionThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(spans);

        var context = new DetectionContext(service, root, spans, thresholds ?? DetectionThresholds.Default);
        NPlusOneDbDetector.Find(context);
        SlowDbQueryDetector.Find(context);
        NPlusOneHttpDetector.Find(context);
        ConsecutiveDbDetector.Find(context);
        ConsecutiveHttpDetector.Find(context);
        MNPlusOneDbDetector.Find(context);
        LargePayloadDetector.Find(context);
        return context.Findings;
    }

    /// <summary>The slow-query rule for one span, for the live processor that marks a query as it ends.</summary>
    public static bool IsSlowQuery(in DetectedSpan span, DetectionThresholds thresholds) => SlowDbQueryDetector.IsSlow(span, thresholds);
}
