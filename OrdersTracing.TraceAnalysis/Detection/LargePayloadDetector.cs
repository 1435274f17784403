namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Large HTTP payloads: a response of more than <see cref="DetectionThresholds.LargePayloadBytes"/> bytes, read from
/// <c>http.response.body.size</c> (or the older <c>http.response_content_length</c>, which Sentry's
/// <c>LargeHTTPPayloadDetector</c>, <c>large_payload_detector.py</c>, reads), one finding per URL template; asset URLs
/// are ignored, as in Sentry.
/// </summary>
/// <remarks>
/// A deliberate departure: Sentry looks at outgoing calls only; here the service's own response (its root server span)
/// counts too, because an export that sends every order in one response is a large payload its callers wait for.
/// </remarks>
internal static class LargePayloadDetector
{
    public static void Find(DetectionContext context)
    {
        HashSet<string>? reported = null;
        Check(context, context.Root, ref reported);
        foreach (var span in context.Spans)
        {
            Check(context, span, ref reported);
        }
    }

    private static void Check(DetectionContext context, in DetectedSpan span, ref HashSet<string>? reported)
    {
        if (span.ResponseBodySize <= context.Thresholds.LargePayloadBytes || span.Method is null)
        {
            return;
        }

        var subject = span.Statement ?? span.Name;
        if (UrlTemplate.IsAsset(subject)
            || !(reported ??= new HashSet<string>(StringComparer.Ordinal)).Add(subject))
        {
            return;
        }

        context.Report(new Finding(FindingKind.LargeHttpPayload, context.Service, [span.SpanId.ToHexString()], subject, 1, span.Duration)
        {
            ParentSpanId = DetectionContext.Id(span.ParentSpanId),
        });
    }
}
