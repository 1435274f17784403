using System.Diagnostics;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The detector family over a stored trace: each service's local roots (a span whose parent is absent or in another
/// service) with the spans under them in that service, as the live processors see them, so that both find the same.
/// </summary>
public static class StoredTraceDetection
{
    public static IReadOnlyList<Finding> Find(IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(trace);

        var tree = new TraceTree(trace);
        var findings = new List<Finding>();
        foreach (var root in trace.Where(span => tree.Parent(span) is not { } parent || parent.Service != span.Service).OrderBy(span => span.Start))
        {
            var spans = new List<DetectedSpan>();
            var pending = new Stack<TraceSpan>(tree.Children(root).Where(child => child.Service == root.Service));
            while (pending.TryPop(out var span))
            {
                spans.Add(Read(span));
                foreach (var child in tree.Children(span).Where(child => child.Service == root.Service))
                {
                    pending.Push(child);
                }
            }

            findings.AddRange(Detectors.Find(root.Service, Read(root), spans, thresholds));
        }

        return findings;
    }

    /// <summary>The findings the live detectors recorded as events on the trace's root spans.</summary>
    public static IReadOnlyList<Finding> LiveFindings(IReadOnlyList<TraceSpan> trace) =>
    [
        .. trace.SelectMany(span => span.Events.Select(e =>
            FindingEvents.Read(e.Name, span.Service, e.Attributes.Select(attribute => new KeyValuePair<string, object?>(attribute.Key, attribute.Value)))))
            .OfType<Finding>(),
    ];

    public static DetectedSpan Read(TraceSpan span)
    {
        var reader = new DetectedSpanReader();
        foreach (var (key, value) in span.Attributes)
        {
            reader.Accept(key, value);
        }

        return reader.Build(SpanId(span.SpanId), span.ParentSpanId is { } parent ? SpanId(parent) : default,
            span.Start.UtcTicks, span.End.UtcTicks, span.Kind == TraceSpanKind.Client, span.Name, SqlNormalizer.Normalize);
    }

    private static ActivitySpanId SpanId(string hex) =>
        hex.Length == 16 && hex.All(char.IsAsciiHexDigitLower) ? ActivitySpanId.CreateFromString(hex) : default;
}
