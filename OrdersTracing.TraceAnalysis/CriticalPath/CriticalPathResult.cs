namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The critical path of one trace: the stretches of time, each owned by one span, that the root's end waited
/// for. Shortening anything off the path does not make the request faster.
/// </summary>
/// <param name="Sections">In time order, first to last; together they cover the root's duration.</param>
/// <param name="Spans">
/// One entry per span of the trace, in the trace's order, except the browser's envelope spans
/// (<see cref="BrowserEnvelope"/>): they are no one's work, so nothing that ranks spans by their time can name them.
/// </param>
public sealed record CriticalPathResult(TraceSpan Root, IReadOnlyList<CriticalPathSection> Sections, IReadOnlyList<SpanTiming> Spans)
{
    /// <summary>The span's timing; a browser envelope span's is its duration, none of it on the critical path.</summary>
    public SpanTiming Timing(TraceSpan span) =>
        Spans.FirstOrDefault(timing => timing.Span.SpanId == span.SpanId) ?? new SpanTiming(span, span.Duration, TimeSpan.Zero, 0);
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
