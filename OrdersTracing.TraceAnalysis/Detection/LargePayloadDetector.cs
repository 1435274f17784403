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
    private static readonly string[] AssetExtensions = [".JS", ".CSS", ".SVG", ".PNG", ".MP3", ".JPG", ".JPEG"];

    public static void Find(DetectionContext context)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in context.Spans.Prepend(context.Root))
        {
            if (span.ResponseBodySize <= context.Thresholds.LargePayloadBytes || span.Method is null)
            {
                continue;
            }

            var subject = span.Statement ?? span.Name;
            if (AssetExtensions.Any(extension => subject.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) || !reported.Add(subject))
            {
                continue;
            }

            context.Findings.Add(new Finding(FindingKind.LargeHttpPayload, context.Service, [span.SpanId.ToHexString()], subject, 1, span.Duration)
            {
                ParentSpanId = DetectionContext.Id(span.ParentSpanId),
            });
        }
    }
}
