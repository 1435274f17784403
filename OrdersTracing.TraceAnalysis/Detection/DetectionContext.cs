using System.Diagnostics;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// One service's part of a trace as the detectors walk it, Sentry's "transaction": the spans under one local root, in
/// start order (a parent before the children that start with it), the root itself apart, as Sentry keeps the
/// transaction's own span in <c>contexts.trace</c>.
/// </summary>
/// <remarks>
/// Connection opens (database spans without a statement) are left out of the walk: their time belongs to the query that
/// waited for them. Sentry visits them and, having no query hash, they end an N+1 run; a pool that opens a connection
/// in the middle of a loop would hide the loop. A deliberate departure, pinned by a test.
/// <para>
/// The live processors run the family as every request's root ends, and most requests have nothing to find: so the
/// context counts the queries and HTTP calls once, a detector that needs them returns at once without them, and
/// nothing is allocated until there is something to keep.
/// </para>
/// </remarks>
internal sealed class DetectionContext
{
    private List<Finding>? findings;

    public DetectionContext(string service, in DetectedSpan root, List<DetectedSpan> spans, DetectionThresholds thresholds)
    {
        spans.RemoveAll(static span => span.Kind == DetectedSpanKind.Connection);
        spans.Sort(static (a, b) => InStartOrder(a, b));
        foreach (var span in spans)
        {
            QueryCount += span.IsQuery ? 1 : 0;
            HttpCallCount += span.Kind == DetectedSpanKind.HttpClient ? 1 : 0;
        }

        Service = service;
        Root = root;
        Spans = spans;
        Thresholds = thresholds;
    }

    public string Service { get; }

    public DetectedSpan Root { get; }

    public List<DetectedSpan> Spans { get; }

    public DetectionThresholds Thresholds { get; }

    /// <summary>The SQL queries among <see cref="Spans"/>.</summary>
    public int QueryCount { get; }

    /// <summary>The outgoing HTTP calls among <see cref="Spans"/>.</summary>
    public int HttpCallCount { get; }

    public IReadOnlyList<Finding> Findings => findings ?? (IReadOnlyList<Finding>)[];

    public void Report(Finding finding) => (findings ??= []).Add(finding);

    public static IReadOnlyList<string> Ids(IEnumerable<DetectedSpan> spans) => [.. spans.Select(span => span.SpanId.ToHexString())];

    public static string? Id(ActivitySpanId id) => id == default ? null : id.ToHexString();

    /// <summary>Start order; at one start, the longer span first (the parent), then the span ids, so both paths agree on ties.</summary>
    private static int InStartOrder(in DetectedSpan a, in DetectedSpan b)
    {
        var order = a.StartTicks.CompareTo(b.StartTicks);
        if (order != 0)
        {
            return order;
        }

        order = b.EndTicks.CompareTo(a.EndTicks);
        if (order != 0)
        {
            return order;
        }

        Span<byte> left = stackalloc byte[8];
        Span<byte> right = stackalloc byte[8];
        a.SpanId.CopyTo(left);
        b.SpanId.CopyTo(right);
        return left.SequenceCompareTo(right);
    }
}
