namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The critical path of one trace: the stretches of time, each owned by one span, that the root's end waited
/// for. Shortening anything off the path does not make the request faster.
/// </summary>
/// <param name="Sections">In time order, first to last; together they cover the root's duration.</param>
/// <param name="Spans">One entry per span of the trace, in the trace's order.</param>
public sealed record CriticalPathResult(TraceSpan Root, IReadOnlyList<CriticalPathSection> Sections, IReadOnlyList<SpanTiming> Spans)
{
    public SpanTiming Timing(TraceSpan span) => Spans.First(timing => timing.Span.SpanId == span.SpanId);
}

/// <summary>A stretch of the critical path during which <paramref name="Span"/> itself, not a child, was working.</summary>
public sealed record CriticalPathSection(TraceSpan Span, DateTimeOffset SectionStart, DateTimeOffset SectionEnd)
{
    public string Service => Span.Service;

    public TimeSpan Duration => SectionEnd - SectionStart;
}

/// <param name="SelfTime">The span's duration minus the union of its children's intervals (clipped to the span).</param>
/// <param name="OnCriticalPath">The sum of the span's critical path sections.</param>
/// <param name="ShareOfRoot"><paramref name="OnCriticalPath"/> as a fraction of the root's duration, 0 to 1.</param>
public sealed record SpanTiming(TraceSpan Span, TimeSpan SelfTime, TimeSpan OnCriticalPath, double ShareOfRoot);
