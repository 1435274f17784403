using System.Globalization;

namespace OrdersTracing.TraceAnalysis;

/// <summary>Turns the analyses of one trace into sentences a developer can act on, each with its remedy.</summary>
public static class Findings
{
    private const double DominantShare = 0.5;

    private static readonly NumberFormatInfo Numbers = new() { NumberGroupSeparator = " ", NumberGroupSizes = [3] };

    public static IReadOnlyList<string> Describe(IReadOnlyList<TraceSpan> trace) =>
        Describe(CriticalPath.Compute(trace), QueryFindings.Find(trace));

    /// <summary>
    /// One sentence when a call to another service or an external dependency holds at least half of the root's
    /// duration on the critical path, counting everything under the call (the callee's own spans too); database
    /// time is reported as query findings instead. One per N+1 group, per detector mark and per slow query.
    /// </summary>
    public static IReadOnlyList<string> Describe(CriticalPathResult criticalPath, QueryReport queries)
    {
        ArgumentNullException.ThrowIfNull(criticalPath);
        ArgumentNullException.ThrowIfNull(queries);

        var sentences = new List<string>();

        if (DominantDependency(criticalPath) is { } dominant)
        {
            sentences.Add($"{dominant.Name}: {Percent(dominant.Share)} % of the request; move it to the background");
        }

        sentences.AddRange(queries.NPlusOne.Select(group =>
            $"N+1: {group.Count} queries `{group.Statement}` under `{group.Parent.Name}`, {Milliseconds(group.TotalDuration)}; "
            + "load them in one query with eager loading"));

        sentences.AddRange(queries.DetectorMarks.Select(mark =>
            $"N+1 marked by the live detector on `{mark.Root.Name}`"
            + (mark.Count is { } count ? $": {count} queries" : "")
            + (mark.Statement is { } statement ? $" `{statement}`" : "")
            + "; load them in one query with eager loading"));

        sentences.AddRange(queries.SlowQueries.Select(query =>
            $"slow query ({Milliseconds(query.Duration)}): `{query.Statement}`; check the index on the filtered columns"));

        return sentences;
    }

    private static (string Name, double Share)? DominantDependency(CriticalPathResult criticalPath)
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
            .Select(call => ((string Name, double Share)?)(CalleeName(call.Call.Span, children), call.Share))
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

    private static int Percent(double share) => (int)Math.Round(share * 100, MidpointRounding.AwayFromZero);

    private static string Milliseconds(TimeSpan duration) =>
        Math.Round(duration.TotalMilliseconds, MidpointRounding.AwayFromZero).ToString("#,0", Numbers) + " ms";
}
