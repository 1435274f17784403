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

        var recent = new List<DetectedSpan>();
        List<DetectedSpan>? pattern = null;
        var matched = new List<DetectedSpan>();
        var index = 0;

        foreach (var span in context.Spans)
        {
            if (pattern is not null)
            {
                if (Equivalent(pattern[index], span))
                {
                    matched.Add(span);
                    index = (index + 1) % pattern.Count;
                    continue;
                }

                var whole = matched.Count / pattern.Count * pattern.Count;
                Report(context, pattern, matched);
                recent = [.. matched.Skip(whole), span];
                TrimToLength(recent, thresholds.MaximumSequenceLength);
                pattern = null;
                continue;
            }

            if (recent.Count > 1)
            {
                for (var i = 0; i < recent.Count - 1; i++)
                {
                    if (Equivalent(span, recent[i]) && IsValid(recent, i))
                    {
                        pattern = recent[i..];
                        matched = [.. pattern, span];
                        index = 1;
                        break;
                    }
                }

                if (pattern is not null)
                {
                    continue;
                }
            }

            recent.Add(span);
            TrimToLength(recent, thresholds.MaximumSequenceLength);
        }

        if (pattern is not null)
        {
            Report(context, pattern, matched);
        }
    }

    private static void TrimToLength(List<DetectedSpan> recent, int length)
    {
        if (recent.Count > length)
        {
            recent.RemoveRange(0, recent.Count - length);
        }
    }

    /// <summary>A valid pattern has a SQL query and a span that differs from its first.</summary>
    private static bool IsValid(List<DetectedSpan> recent, int start)
    {
        var hasQuery = false;
        var hasDifferent = false;
        for (var i = start; i < recent.Count; i++)
        {
            hasQuery |= recent[i].IsQuery;
            hasDifferent |= !Equivalent(recent[start], recent[i]);
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

    private static void Report(DetectionContext context, List<DetectedSpan> pattern, List<DetectedSpan> matched)
    {
        var times = matched.Count / pattern.Count;
        if (times < context.Thresholds.MinimumSequenceRepetitions)
        {
            return;
        }

        var offenders = matched[..(times * pattern.Count)];
        var total = IntervalUnion.Of(offenders);
        var parent = offenders[0].ParentSpanId;
        if (total < context.Thresholds.MinimumSequenceTotalDuration || parent == default || offenders.Any(span => span.ParentSpanId != parent))
        {
            return;
        }

        var subject = string.Join(" → ", pattern.Select(span => span.IsQuery ? span.Statement : span.Name));
        context.Report(new Finding(FindingKind.MNPlusOneDb, context.Service, DetectionContext.Ids(offenders), subject, times, total)
        {
            ParentSpanId = parent.ToHexString(),
        });
    }
}
