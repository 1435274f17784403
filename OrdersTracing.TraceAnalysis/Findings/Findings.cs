namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Everything the Trace doctor reports about one trace, as records: the detector family's findings for each service's
/// part of it, each with what it cost the request on the critical path, and a call that dominates the critical path.
/// </summary>
public static class Findings
{
    private const double DominantShare = 0.5;

    public static IReadOnlyList<Finding> Of(IReadOnlyList<TraceSpan> trace) => Of(CriticalPath.Compute(trace), trace);

    /// <summary>
    /// A dominant dependency is a call to another service or an external dependency holding at least half of the root's
    /// duration on the critical path, counting everything under the call (the callee's own spans too); database time
    /// is reported by the query detectors instead.
    /// </summary>
    public static IReadOnlyList<Finding> Of(CriticalPathResult criticalPath, IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(criticalPath);
        ArgumentNullException.ThrowIfNull(trace);

        var findings = new List<Finding>();
        if (DominantDependency(criticalPath) is { } dominant)
        {
            findings.Add(dominant);
        }

        var onPath = criticalPath.Spans.ToDictionary(timing => timing.Span.SpanId, timing => timing.OnCriticalPath);
        findings.AddRange(StoredTraceDetection.Find(trace, thresholds).Select(finding => finding with
        {
            CriticalPathCost = finding.EvidenceSpanIds.Aggregate(TimeSpan.Zero, (sum, id) => sum + onPath.GetValueOrDefault(id)),
        }));
        return findings;
    }

    private static Finding? DominantDependency(CriticalPathResult criticalPath)
    {
        var rootDuration = criticalPath.Root.Duration.TotalMilliseconds;
        if (rootDuration <= 0)
        {
            return null;
        }

        var children = criticalPath.Spans.ToLookup(timing => timing.Span.ParentSpanId);
        var parents = criticalPath.Spans.ToDictionary(timing => timing.Span.SpanId, timing => timing.Span.ParentSpanId);

        // The deepest call that dominates is the one to act on: the front end's call to the Api holds the whole
        // request too, but it is the payment provider under it that waits.
        return criticalPath.Spans
            .Where(timing => timing.Span.SpanId != criticalPath.Root.SpanId && !timing.Span.IsDatabase()
                && (IsExternalCall(timing.Span) || (timing.Span.Service != criticalPath.Root.Service && timing.Span.Kind != TraceSpanKind.Client)))
            .Select(call => (Call: call, Share: OnCriticalPath(call, children).TotalMilliseconds / rootDuration))
            .Where(call => call.Share >= DominantShare)
            .OrderByDescending(call => Depth(call.Call.Span, parents))
            .Select(call => new Finding(FindingKind.DominantDependency, call.Call.Span.Service, [call.Call.Span.SpanId],
                CalleeName(call.Call.Span, children), 1, call.Call.Span.Duration)
            {
                ParentSpanId = call.Call.Span.ParentSpanId,
                CriticalPathCost = TimeSpan.FromMilliseconds(call.Share * rootDuration),
                ShareOfRequest = call.Share,
            })
            .FirstOrDefault();
    }

    private static int Depth(TraceSpan span, Dictionary<string, string?> parents)
    {
        var depth = 0;
        for (var parent = span.ParentSpanId; parent is not null && parents.TryGetValue(parent, out var next); parent = next)
        {
            depth++;
        }

        return depth;
    }

    /// <summary>A call's time on the critical path, with everything it waited for.</summary>
    private static TimeSpan OnCriticalPath(SpanTiming call, ILookup<string?, SpanTiming> children) =>
        call.OnCriticalPath + children[call.Span.SpanId].Aggregate(TimeSpan.Zero, (sum, child) => sum + OnCriticalPath(child, children));

    /// <summary>The service that answered a call where it is traced (its server span), else the address called.</summary>
    private static string CalleeName(TraceSpan call, ILookup<string?, SpanTiming> children) =>
        children[call.SpanId].Select(child => child.Span).FirstOrDefault(child => child.Kind == TraceSpanKind.Server && child.Service != call.Service)?.Service
        ?? DependencyName(call);

    private static bool IsExternalCall(TraceSpan span) =>
        span.Kind == TraceSpanKind.Client && (span.IsHttp() || span[SpanAttributes.ServerAddress] is not null);

    private static string DependencyName(TraceSpan span) =>
        span.Kind == TraceSpanKind.Client && span[SpanAttributes.ServerAddress] is { Length: > 0 } address ? address : span.Service;
}
