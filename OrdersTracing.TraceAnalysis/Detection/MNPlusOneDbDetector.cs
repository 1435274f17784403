using System.Runtime.InteropServices;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Repeating sequences of different queries (MN+1): the same few spans, at least one of them a SQL query, again and
/// again (A B C A B C A B C), at least <see cref="DetectionThresholds.MinimumSequenceRepetitions"/> times, under one
/// parent, taking at least <see cref="DetectionThresholds.MinimumSequenceTotalDuration"/> together. Sentry's
/// <c>MNPlusOneDBSpanDetector</c> (<c>mn_plus_one_db_span_detector.py</c>) and its two states: searching keeps the last
/// <see cref="DetectionThresholds.MaximumSequenceLength"/> spans until a span repeats one of them (not the last, which
/// would be an N+1); continuing follows the pattern until a span breaks it, then searching resumes from the spans after
/// the last whole repetition.
/// </summary>
/// <remarks>
/// Spans are equivalent as Sentry's <c>_equivalent</c> has them: database spans by their kind and statement, others by
/// their kind and name (OpenTelemetry has no <c>op</c>; the name is the nearest, as in "GET" or "orders.price_lookup").
/// </remarks>
internal static class MNPlusOneDbDetector
{
    public static void Find(DetectionContext context)
    {
        var thresholds = context.Thresholds;

        // A pattern has a query and at least two spans, repeated at least the minimum number of times.
        if (context.QueryCount == 0 || context.Spans.Count / 2 < thresholds.MinimumSequenceRepetitions)
        {
            return;
        }

        // Every state is a range of the spans in start order, so nothing is copied until there is a finding: searching
        // keeps the spans from recentStart to the current one; a pattern is patternLength spans from patternStart, and
        // the spans matched so far run from there to the current one.
        var spans = CollectionsMarshal.AsSpan(context.Spans);
        var maximumLength = thresholds.MaximumSequenceLength;
        var recentStart = 0;
        var patternStart = 0;
        var patternLength = 0;
        var index = 0;

        for (var i = 0; i < spans.Length; i++)
        {
            ref readonly var span = ref spans[i];
            if (patternLength > 0)
            {
                if (Equivalent(spans[patternStart + index], span))
                {
                    index = (index + 1) % patternLength;
                    continue;
                }

                var matched = i - patternStart;
                Report(context, patternStart, patternLength, matched);

                // Searching resumes with the spans after the last whole repetition, and this one.
                recentStart = Math.Max(patternStart + (matched / patternLength * patternLength), i + 1 - maximumLength);
                patternLength = 0;
                continue;
            }

            for (var j = recentStart; j < i - 1; j++)
            {
                if (Equivalent(span, spans[j]) && IsValid(spans[j..i]))
                {
                    (patternStart, patternLength, index) = (j, i - j, 1);
                    break;
                }
            }

            if (patternLength == 0)
            {
                recentStart = Math.Max(recentStart, i + 1 - maximumLength);
            }
        }

        if (patternLength > 0)
        {
            Report(context, patternStart, patternLength, spans.Length - patternStart);
        }
    }

    /// <summary>A valid pattern has a SQL query and a span that differs from its first.</summary>
    private static bool IsValid(ReadOnlySpan<DetectedSpan> pattern)
    {
        var hasQuery = false;
        var hasDifferent = false;
        foreach (ref readonly var span in pattern)
        {
            hasQuery |= span.IsQuery;
            hasDifferent |= !Equivalent(pattern[0], span);
        }

        return hasQuery && hasDifferent;
    }

    private static bool Equivalent(in DetectedSpan a, in DetectedSpan b)
    {
        if (a.Kind != b.Kind)
        {
            return false;
        }

        return a.Kind is DetectedSpanKind.Query or DetectedSpanKind.Store
            ? string.Equals(a.Statement ?? a.Text ?? a.Name, b.Statement ?? b.Text ?? b.Name, StringComparison.Ordinal)
            : string.Equals(a.Name, b.Name, StringComparison.Ordinal);
    }

    private static void Report(DetectionContext context, int patternStart, int patternLength, int matched)
    {
        var times = matched / patternLength;
        if (times < context.Thresholds.MinimumSequenceRepetitions)
        {
            return;
        }

        var offenders = context.Spans.GetRange(patternStart, times * patternLength);
        var total = IntervalUnion.Of(offenders);
        var parent = offenders[0].ParentSpanId;
        if (total < context.Thresholds.MinimumSequenceTotalDuration || parent == default || offenders.Any(span => span.ParentSpanId != parent))
        {
            return;
        }

        var subject = string.Join(" → ", offenders.Take(patternLength).Select(span => span.IsQuery ? span.Statement : span.Name));
        context.Report(new Finding(FindingKind.MNPlusOneDb, context.Service, DetectionContext.Ids(offenders), subject, times, total)
        {
            ParentSpanId = parent.ToHexString(),
        });
    }
}
