namespace OrdersTracing.TraceAnalysis;

/// <summary>Parent/child look-ups over one trace's spans; children are in start order.</summary>
internal sealed class TraceTree
{
    private static readonly IReadOnlyList<TraceSpan> NoChildren = [];

    private readonly Dictionary<string, TraceSpan> byId;
    private readonly Dictionary<string, List<TraceSpan>> children = [];

    public TraceTree(IReadOnlyList<TraceSpan> trace)
    {
        byId = trace.GroupBy(span => span.SpanId).ToDictionary(group => group.Key, group => group.First());
        foreach (var span in trace.OrderBy(span => span.Start))
        {
            if (span.ParentSpanId is { } parentId && byId.ContainsKey(parentId))
            {
                (children.TryGetValue(parentId, out var list) ? list : children[parentId] = []).Add(span);
            }
        }

        Roots = [.. trace.Where(span => Parent(span) is null).OrderBy(span => span.Start)];
    }

    /// <summary>Spans whose parent is absent from the trace: true roots and orphans whose parent was not received.</summary>
    public IReadOnlyList<TraceSpan> Roots { get; }

    public TraceSpan? Parent(TraceSpan span) =>
        span.ParentSpanId is { } parentId ? byId.GetValueOrDefault(parentId) : null;

    public IReadOnlyList<TraceSpan> Children(TraceSpan span) => children.TryGetValue(span.SpanId, out var list) ? list : NoChildren;
}
