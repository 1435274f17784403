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
    /// One sentence when a single span holds at least half of the root's duration on the critical path and it is
    /// a span of another service or a client call to an HTTP or external dependency (database time is reported
    /// as query findings instead); one per N+1 group, per detector mark and per slow query.
    /// </summary>
    public static IReadOnlyList<string> Describe(CriticalPathResult criticalPath, QueryReport queries)
    {
        ArgumentNullException.ThrowIfNull(criticalPath);
        ArgumentNullException.ThrowIfNull(queries);

        var sentences = new List<string>();

        if (DominantDependency(criticalPath) is { } dominant)
        {
            sentences.Add($"{DependencyName(dominant.Span)}: {Percent(dominant.ShareOfRoot)} % of the request; move it to the background");
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

    private static SpanTiming? DominantDependency(CriticalPathResult criticalPath) =>
        criticalPath.Spans
            .Where(timing => timing.ShareOfRoot >= DominantShare && timing.Span.SpanId != criticalPath.Root.SpanId)
            .FirstOrDefault(timing => !timing.Span.IsDatabase()
                && (timing.Span.Service != criticalPath.Root.Service || IsExternalCall(timing.Span)));

    private static bool IsExternalCall(TraceSpan span) =>
        span.Kind == TraceSpanKind.Client && (span.IsHttp() || span[SpanAttributes.ServerAddress] is not null);

    private static string DependencyName(TraceSpan span) =>
        span.Kind == TraceSpanKind.Client && span[SpanAttributes.ServerAddress] is { Length: > 0 } address ? address : span.Service;

    private static int Percent(double share) => (int)Math.Round(share * 100, MidpointRounding.AwayFromZero);

    private static string Milliseconds(TimeSpan duration) =>
        Math.Round(duration.TotalMilliseconds, MidpointRounding.AwayFromZero).ToString("#,0", Numbers) + " ms";
}
