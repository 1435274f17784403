namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The time a set of spans covers, overlaps counted once: Sentry's <c>total_span_time</c>
/// (<c>src/sentry/utils/performance_issues/base.py</c>), so that parallel queries are not counted twice.
/// </summary>
internal static class IntervalUnion
{
    /// <param name="spans">In start order.</param>
    public static TimeSpan Of(IReadOnlyList<DetectedSpan> spans)
    {
        long total = 0;
        long coveredUntil = long.MinValue;
        foreach (var span in spans)
        {
            if (span.EndTicks <= coveredUntil)
            {
                continue;
            }

            total += span.EndTicks - Math.Max(span.StartTicks, coveredUntil);
            coveredUntil = span.EndTicks;
        }

        return TimeSpan.FromTicks(total);
    }

    public static TimeSpan Sum(IReadOnlyList<DetectedSpan> spans)
    {
        long total = 0;
        foreach (var span in spans)
        {
            total += span.EndTicks - span.StartTicks;
        }

        return TimeSpan.FromTicks(total);
    }
}
