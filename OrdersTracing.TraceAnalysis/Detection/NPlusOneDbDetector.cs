using System.Diagnostics;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// N+1 queries: a source query, then at least <see cref="DetectionThresholds.MinimumRepeatedQueries"/> queries of one
/// other statement under the same parent, taking at least <see cref="DetectionThresholds.MinimumTotalDuration"/>
/// together (overlaps counted once). Sentry's <c>NPlusOneDBSpanDetector</c>
/// (<c>src/sentry/utils/performance_issues/detectors/n_plus_one_db_span_detector.py</c>), step for step:
/// <list type="bullet">
/// <item>the spans are walked in start order, the whole transaction at once;</item>
/// <item>any span that is not a SQL query ends the run (a handler's span, an HTTP call, a cache command), and becomes a
/// "potential parent"; so does the transaction's root;</item>
/// <item>a query whose parent is a potential parent can be the source; a query of another statement, or under another
/// parent, ends the run, and the run's last query becomes the next source;</item>
/// <item>overlapping queries continue a run: Sentry does not look at their times, only at <c>total_span_time</c>;</item>
/// <item>the repeated statement must contain a space (Sentry's guard against MongoDB and raw-query spans);</item>
/// <item>one finding per parent, source and repeated statement (Sentry's fingerprint).</item>
/// </list>
/// One deliberate departure: a cache or key-value store command (Sentry's <c>db.redis</c>, which its <c>_is_db_op</c>
/// excludes) ends the run as any other span does, and can be the source of the next one, because a cache read that
/// misses and is followed by a query per item is the same shape as a list query followed by a query per item.
/// </summary>
internal static class NPlusOneDbDetector
{
    public static void Find(DetectionContext context)
    {
        // The repeated queries alone must reach the minimum.
        if (context.QueryCount < context.Thresholds.MinimumRepeatedQueries)
        {
            return;
        }

        var potentialParents = new HashSet<ActivitySpanId> { context.Root.SpanId };
        var reported = new HashSet<(string, string?, string)>();
        DetectedSpan? source = null;
        var repeated = new List<DetectedSpan>();

        foreach (var span in context.Spans)
        {
            if (!span.IsQuery)
            {
                Report(context, source, repeated, potentialParents, reported);
                (source, repeated) = (null, []);
                potentialParents.Add(span.SpanId);
                if (span.Kind == DetectedSpanKind.Store)
                {
                    source = AsSource(span, potentialParents);
                }

                continue;
            }

            if (source is null)
            {
                source = AsSource(span, potentialParents);
                continue;
            }

            if (Continues(source.Value, repeated, span))
            {
                repeated.Add(span);
                continue;
            }

            DetectedSpan? previous = repeated.Count > 0 ? repeated[^1] : null;
            Report(context, source, repeated, potentialParents, reported);
            (source, repeated) = (null, []);
            if (previous is { } last)
            {
                source = AsSource(last, potentialParents);
            }

            if (source is { } next && Continues(next, repeated, span))
            {
                repeated.Add(span);
            }
            else
            {
                source = AsSource(span, potentialParents);
            }
        }

        Report(context, source, repeated, potentialParents, reported);
    }

    private static DetectedSpan? AsSource(in DetectedSpan span, HashSet<ActivitySpanId> potentialParents) =>
        span.ParentSpanId != default && potentialParents.Contains(span.ParentSpanId) ? span : null;

    private static bool Continues(in DetectedSpan source, List<DetectedSpan> repeated, in DetectedSpan span) =>
        span.ParentSpanId == source.ParentSpanId
        && !string.IsNullOrEmpty(span.Statement)
        && !string.Equals(span.Statement, source.Statement, StringComparison.Ordinal)
        && (repeated.Count == 0 || string.Equals(span.Statement, repeated[0].Statement, StringComparison.Ordinal));

    private static void Report(
        DetectionContext context, DetectedSpan? source, List<DetectedSpan> repeated, HashSet<ActivitySpanId> potentialParents,
        HashSet<(string, string?, string)> reported)
    {
        var thresholds = context.Thresholds;
        if (source is not { } cause || repeated.Count < thresholds.MinimumRepeatedQueries)
        {
            return;
        }

        var total = IntervalUnion.Of(repeated);
        if (total < thresholds.MinimumTotalDuration || !potentialParents.Contains(cause.ParentSpanId))
        {
            return;
        }

        var first = repeated[0];
        if (first.Text is not { } text || !text.Contains(' ') || !reported.Add((cause.ParentSpanId.ToHexString(), cause.Statement, first.Statement!)))
        {
            return;
        }

        context.Report(new Finding(FindingKind.NPlusOneDb, context.Service, DetectionContext.Ids(repeated), first.Statement!, repeated.Count, total)
        {
            SourceSpanId = cause.SpanId.ToHexString(),
            ParentSpanId = DetectionContext.Id(cause.ParentSpanId),
        });
    }
}
