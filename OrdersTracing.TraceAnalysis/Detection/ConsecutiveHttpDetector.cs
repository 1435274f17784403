namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Consecutive slow HTTP calls: Sentry's <c>ConsecutiveHTTPSpanDetector</c> (<c>consecutive_http_detector.py</c>).
/// Outgoing calls (GET, POST, DELETE, PUT, PATCH) walked in start order, other spans passed over, form a run that a
/// call starting before the previous one ended breaks (the overlapping call starts the next run). A run is a finding
/// with at least <see cref="DetectionThresholds.MinimumConsecutiveHttpCalls"/> calls, each longer than
/// <see cref="DetectionThresholds.ConsecutiveHttpCallDuration"/>, each starting less than
/// <see cref="DetectionThresholds.ConsecutiveHttpCallsMaximumGap"/> after the previous one ended, and when running them
/// in parallel would save at least <see cref="DetectionThresholds.ConsecutiveHttpCallsMinimumTimeSaved"/>
/// (<c>performance.issues.consecutive_http.min_time_saved_threshold</c>; the time saved is their total less the longest).
/// </summary>
/// <remarks>Sentry's LCP condition applies to browser events only; these are server-side spans.</remarks>
internal static class ConsecutiveHttpDetector
{
    private static readonly string[] Methods = ["GET", "POST", "DELETE", "PUT", "PATCH"];

    public static void Find(DetectionContext context)
    {
        if (context.HttpCallCount < context.Thresholds.MinimumConsecutiveHttpCalls)
        {
            return;
        }

        var run = new List<DetectedSpan>();
        foreach (var span in context.Spans)
        {
            if (!IsEligible(span))
            {
                continue;
            }

            if (run.Count > 0 && run[^1].EndTicks > span.StartTicks)
            {
                Report(context, run);
                run = [];
            }

            run.Add(span);
        }

        Report(context, run);
    }

    internal static bool IsEligible(in DetectedSpan span) =>
        span.Kind == DetectedSpanKind.HttpClient && span.Statement is not null && Methods.Contains(span.Method, StringComparer.OrdinalIgnoreCase);

    private static void Report(DetectionContext context, List<DetectedSpan> run)
    {
        var thresholds = context.Thresholds;
        if (run.Count < thresholds.MinimumConsecutiveHttpCalls || !run.All(span => span.Duration > thresholds.ConsecutiveHttpCallDuration))
        {
            return;
        }

        for (var i = 1; i < run.Count; i++)
        {
            if (TimeSpan.FromTicks(run[i].StartTicks - run[i - 1].EndTicks) >= thresholds.ConsecutiveHttpCallsMaximumGap)
            {
                return;
            }
        }

        var total = IntervalUnion.Sum(run);
        var saved = total - run.Max(span => span.Duration);
        if (saved < thresholds.ConsecutiveHttpCallsMinimumTimeSaved)
        {
            return;
        }

        context.Report(new Finding(FindingKind.ConsecutiveHttp, context.Service, DetectionContext.Ids(run), run[0].Statement!, run.Count, total)
        {
            TimeSaved = saved,
        });
    }
}
