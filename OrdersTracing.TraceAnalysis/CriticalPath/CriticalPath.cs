namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The critical path as the Jaeger UI computes it (jaeger-ui
/// <c>packages/jaeger-ui/src/components/TracePage/CriticalPath</c>), so a figure quoted from here matches what
/// an operator sees highlighted in Jaeger.
/// </summary>
/// <remarks>
/// The steps, as in Jaeger: consumer children of producer spans are not blocking and are left out
/// (<c>createCPSpanMap</c>); a child that starts at or after its parent's end, or ends at or before its parent's
/// start, is dropped with its subtree, and a child overflowing its parent is cut to the parent's bounds
/// (<c>sanitizeOverFlowingChildren</c>, parents before children); then, from the root's end backwards, the
/// child that finishes last (strictly before the point reached, on the way back) takes the path, recursively,
/// and the gaps between such children belong to the parent (<c>computeCriticalPath</c>,
/// <c>findLastFinishingChildSpan</c>). Jaeger repeats this for every root of the trace; here there is one.
/// </remarks>
public static class CriticalPath
{
    /// <summary>
    /// Computes the critical path of <paramref name="trace"/>. The root is the earliest-starting span whose parent
    /// is not in the trace, so a trace with a missing parent, or several roots, is analysed from the first one;
    /// the other parentless spans and their subtrees get no critical path time. A trace that starts in a browser
    /// holds several server requests in a row (the page's, the submit's, the redirect's) under the browser's spans
    /// (<see cref="BrowserEnvelope"/>): the longest of them, the one the person waited for, is analysed, and the
    /// browser's spans get no timing of their own.
    /// </summary>
    public static CriticalPathResult Compute(IReadOnlyList<TraceSpan> trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Count == 0)
        {
            throw new ArgumentException("A trace without spans has no critical path.", nameof(trace));
        }

        var work = trace.Where(span => !BrowserEnvelope.Holds(span)).ToList() is { Count: > 0 } served ? served : [.. trace];
        var tree = new TraceTree(work);
        var root = work.Count < trace.Count ? tree.Roots.MaxBy(request => request.Duration)! : tree.Roots[0];
        var sections = Walk(Sanitise(BlockingSpans(tree, root)), root.SpanId);
        sections.Reverse();

        var onPath = sections
            .GroupBy(section => section.SpanId)
            .ToDictionary(group => group.Key, group => TimeSpan.FromTicks(group.Sum(section => section.End - section.Start)));
        var spansById = work.GroupBy(span => span.SpanId).ToDictionary(group => group.Key, group => group.First());

        return new CriticalPathResult(
            root,
            [.. sections.Select(section => new CriticalPathSection(
                spansById[section.SpanId], FromTicks(section.Start), FromTicks(section.End)))],
            [.. work.Select(span => Timing(span, tree, onPath.GetValueOrDefault(span.SpanId), root.Duration))]);
    }

    private static SpanTiming Timing(TraceSpan span, TraceTree tree, TimeSpan onPath, TimeSpan rootDuration) =>
        new(span,
            span.Duration - CoveredByChildren(span, tree.Children(span)),
            onPath,
            rootDuration > TimeSpan.Zero ? onPath / rootDuration : 0);

    private static TimeSpan CoveredByChildren(TraceSpan span, IReadOnlyList<TraceSpan> children)
    {
        var covered = TimeSpan.Zero;
        var reached = span.Start;
        foreach (var child in children)
        {
            var start = Max(child.Start, reached);
            var end = Min(child.End, span.End);
            if (end > start)
            {
                covered += end - start;
                reached = end;
            }
        }

        return covered;
    }

    /// <summary>The root's subtree in depth-first pre-order, which is the order Jaeger's map holds and sanitises it in.</summary>
    private static List<Node> BlockingSpans(TraceTree tree, TraceSpan root)
    {
        var nodes = new List<Node>();
        var pending = new Stack<(TraceSpan Span, string? ParentId)>([(root, null)]);
        while (pending.TryPop(out var item))
        {
            var (span, parentId) = item;
            var blockingChildren = tree.Children(span)
                .Where(child => !(span.Kind == TraceSpanKind.Producer && child.Kind == TraceSpanKind.Consumer))
                .ToList();
            nodes.Add(new Node(span.SpanId, parentId, span.Start.UtcTicks, span.End.UtcTicks, [.. blockingChildren.Select(child => child.SpanId)]));
            for (var i = blockingChildren.Count - 1; i >= 0; i--)
            {
                pending.Push((blockingChildren[i], span.SpanId));
            }
        }

        return nodes;
    }

    private static Dictionary<string, Node> Sanitise(List<Node> nodes)
    {
        var map = nodes.ToDictionary(node => node.SpanId);
        foreach (var node in nodes)
        {
            if (node.ParentId is null)
            {
                continue;
            }

            if (!map.TryGetValue(node.ParentId, out var parent))
            {
                map.Remove(node.SpanId);
                continue;
            }

            var outside = node.Start >= parent.Start ? node.Start >= parent.End : node.End <= parent.Start;
            if (outside)
            {
                map.Remove(node.SpanId);
                parent.ChildIds.Remove(node.SpanId);
                continue;
            }

            node.Start = Math.Max(node.Start, parent.Start);
            node.End = Math.Min(node.End, parent.End);
        }

        return map;
    }

    /// <summary>Jaeger's recursion is a chain of tail calls; a loop does the same without a stack per section.</summary>
    private static List<Section> Walk(Dictionary<string, Node> map, string rootId)
    {
        var sections = new List<Section>();
        string? spanId = rootId;
        long? returningChildStart = null;

        while (spanId is not null && map.TryGetValue(spanId, out var current))
        {
            var sectionEnd = returningChildStart ?? current.End;
            var lastFinishing = LastFinishingChild(map, current, returningChildStart);
            var sectionStart = lastFinishing?.End ?? current.Start;
            if (sectionStart != sectionEnd)
            {
                sections.Add(new Section(current.SpanId, sectionStart, sectionEnd));
            }

            (spanId, returningChildStart) = lastFinishing is not null
                ? (lastFinishing.SpanId, (long?)null)
                : (current.ParentId, current.Start);
        }

        return sections;
    }

    private static Node? LastFinishingChild(Dictionary<string, Node> map, Node span, long? before)
    {
        Node? last = null;
        foreach (var childId in span.ChildIds)
        {
            if (map.TryGetValue(childId, out var child) && (before is null || child.End < before) && (last is null || child.End > last.End))
            {
                last = child;
            }
        }

        return last;
    }

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class Node(string spanId, string? parentId, long start, long end, List<string> childIds)
    {
        public string SpanId { get; } = spanId;
        public string? ParentId { get; } = parentId;
        public long Start { get; set; } = start;
        public long End { get; set; } = end;
        public List<string> ChildIds { get; } = childIds;
    }

    private sealed record Section(string SpanId, long Start, long End);
}
