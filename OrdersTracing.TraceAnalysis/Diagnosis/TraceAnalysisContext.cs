namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// One trace's spans under the analysed request, with their critical-path timing and the look-ups the diagnosis
/// rules share: parents, children in start order, and subtree membership in constant time (depth-first numbering).
/// </summary>
internal sealed class TraceAnalysisContext
{
    private static readonly List<TraceSpan> NoChildren = [];

    private readonly Dictionary<string, SpanTiming> timings;
    private readonly Dictionary<string, List<TraceSpan>> children = [];
    private readonly Dictionary<string, (int Enter, int Exit)> order = [];
    private readonly Dictionary<string, TimeSpan> consumed = [];

    public TraceAnalysisContext(CriticalPathResult path)
    {
        Path = path;
        timings = [];
        foreach (var timing in path.Spans)
        {
            timings.TryAdd(timing.Span.SpanId, timing);
        }

        foreach (var timing in path.Spans.OrderBy(timing => timing.Span.Start))
        {
            if (timing.Span.ParentSpanId is { } parent && timings.ContainsKey(parent) && timing.Span.SpanId != parent)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(timing.Span);
            }
        }

        Number(path.Root);
        Spans = [.. path.Spans.Select(timing => timing.Span).Where(span => order.ContainsKey(span.SpanId))];
    }

    public CriticalPathResult Path { get; }

    public TraceSpan Root => Path.Root;

    /// <summary>The analysed request's spans, in the trace's order.</summary>
    public IReadOnlyList<TraceSpan> Spans { get; }

    public bool InRequest(string spanId) => order.ContainsKey(spanId);

    public TraceSpan? Span(string spanId) => timings.TryGetValue(spanId, out var timing) && InRequest(spanId) ? timing.Span : null;

    public TraceSpan? Parent(TraceSpan span) =>
        span.SpanId != Root.SpanId && span.ParentSpanId is { } parent ? Span(parent) : null;

    public IReadOnlyList<TraceSpan> Children(TraceSpan span) => children.TryGetValue(span.SpanId, out var list) ? list : NoChildren;

    /// <summary>Marks part of a span's critical-path time as explained by a cause already named (an error's attempts and backoff).</summary>
    public void Consume(TraceSpan span, TimeSpan time) => consumed[span.SpanId] = consumed.GetValueOrDefault(span.SpanId) + time;

    /// <summary>The span's own time on the critical path that no cause named so far explains.</summary>
    public TimeSpan Unexplained(TraceSpan span) => OnPath(span.SpanId) - consumed.GetValueOrDefault(span.SpanId);

    /// <summary>The span's own time on the critical path.</summary>
    public TimeSpan OnPath(string spanId) => timings.TryGetValue(spanId, out var timing) ? timing.OnCriticalPath : TimeSpan.Zero;

    public double Share(TimeSpan cost) => Root.Duration > TimeSpan.Zero ? Math.Clamp(cost / Root.Duration, 0, 1) : 0;

    public bool IsWithin(TraceSpan span, TraceSpan ancestor) =>
        order.TryGetValue(span.SpanId, out var inner) && order.TryGetValue(ancestor.SpanId, out var outer)
        && inner.Enter >= outer.Enter && inner.Exit <= outer.Exit;

    /// <summary>The span's service's entry into this trace: the highest ancestor in the same service.</summary>
    public TraceSpan LocalRoot(TraceSpan span)
    {
        var current = span;
        while (Parent(current) is { } parent && parent.Service == current.Service)
        {
            current = parent;
        }

        return current;
    }

    private void Number(TraceSpan root)
    {
        var counter = 0;
        var pending = new Stack<(TraceSpan Span, bool Done)>([(root, false)]);
        var enter = new Dictionary<string, int>();
        while (pending.TryPop(out var item))
        {
            if (item.Done)
            {
                order[item.Span.SpanId] = (enter[item.Span.SpanId], counter++);
                continue;
            }

            if (!enter.TryAdd(item.Span.SpanId, counter++))
            {
                continue;
            }

            pending.Push((item.Span, true));
            foreach (var child in Children(item.Span))
            {
                pending.Push((child, false));
            }
        }
    }
}
