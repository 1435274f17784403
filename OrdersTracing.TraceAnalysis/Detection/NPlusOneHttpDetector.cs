namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// N+1 HTTP calls: at least <see cref="DetectionThresholds.MinimumRepeatedHttpCalls"/> GET calls to one URL template
/// (ids parameterised) under one parent, one right after another, taking at least
/// <see cref="DetectionThresholds.MinimumHttpCallsTotalDuration"/> together. Sentry's <c>NPlusOneAPICallsDetector</c>
/// (<c>n_plus_one_api_calls_detector.py</c>): eligible calls are walked in start order, other spans passed over; a call
/// continues the run when it is similar to the previous one (same template, same parent) and starts within
/// <see cref="DetectionThresholds.HttpCallsConcurrencyThreshold"/> of it; GraphQL and asset URLs are ignored; a URL that
/// has no id to parameterise is not reported (Sentry's fingerprint guard).
/// </summary>
/// <remarks>
/// Two deliberate departures, pinned by tests. Sentry looks for calls fired together (a browser's fetches, starting
/// within 5 ms of each other); a server awaits its calls in a loop, one after another, so here a call also continues the
/// run when it starts within the threshold of the previous call's end. And Sentry hashes the raw path (its template is
/// the query string's removal); here ids in the path are parameterised, so <c>/payments/1</c> and <c>/payments/2</c> are
/// one template, as in Sentry's newer <c>parameterize_url</c> fingerprint.
/// </remarks>
internal static class NPlusOneHttpDetector
{
    public static void Find(DetectionContext context)
    {
        if (context.HttpCallCount < context.Thresholds.MinimumRepeatedHttpCalls)
        {
            return;
        }

        var run = new List<DetectedSpan>();
        var threshold = context.Thresholds.HttpCallsConcurrencyThreshold.Ticks;
        foreach (var span in context.Spans)
        {
            if (!IsEligible(span))
            {
                continue;
            }

            if (run.Count > 0 && !(IsSimilar(run[^1], span) && (Math.Abs(span.StartTicks - run[^1].StartTicks) < threshold || IsRightAfter(run[^1], span, threshold))))
            {
                Report(context, run);
                run = [];
            }

            run.Add(span);
        }

        Report(context, run);
    }

    private static bool IsRightAfter(in DetectedSpan previous, in DetectedSpan span, long threshold) =>
        span.StartTicks >= previous.EndTicks && span.StartTicks - previous.EndTicks < threshold;

    private static bool IsSimilar(in DetectedSpan a, in DetectedSpan b) =>
        a.ParentSpanId == b.ParentSpanId && string.Equals(a.Statement, b.Statement, StringComparison.Ordinal);

    private static bool IsEligible(in DetectedSpan span) =>
        span.Kind == DetectedSpanKind.HttpClient
        && string.Equals(span.Method, "GET", StringComparison.OrdinalIgnoreCase)
        && span.Statement is { Length: > 0 } template
        && !template.Contains("graphql", StringComparison.OrdinalIgnoreCase)
        && !UrlTemplate.IsAsset(template);

    private static void Report(DetectionContext context, List<DetectedSpan> run)
    {
        var thresholds = context.Thresholds;
        if (run.Count < thresholds.MinimumRepeatedHttpCalls || !UrlTemplate.IsParameterised(run[0].Statement!))
        {
            return;
        }

        var total = IntervalUnion.Of(run);
        if (total < thresholds.MinimumHttpCallsTotalDuration)
        {
            return;
        }

        context.Report(new Finding(FindingKind.NPlusOneHttp, context.Service, DetectionContext.Ids(run), run[0].Statement!, run.Count, total)
        {
            ParentSpanId = DetectionContext.Id(run[0].ParentSpanId),
        });
    }
}
