using System.Diagnostics;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// The trace context a page carries for its own spans (<c>&lt;meta name="traceparent"&gt;</c>, which the document-load
/// instrumentation reads), so the page's load hangs under the server request that rendered it.
/// </summary>
public static class PageTraceContext
{
    /// <summary>The W3C traceparent of <paramref name="activity"/>, or null outside a traced request.</summary>
    public static string? Traceparent(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C }
            ? $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{(activity.Recorded ? "01" : "00")}"
            : null;
}
