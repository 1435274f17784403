using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// The trace context headers an untrusted caller sent, taken off the request before ASP.NET Core and OpenTelemetry read
/// them, and kept as a request feature so the new trace can link back to the caller's.
/// </summary>
internal sealed class UntrustedTraceContext(StringValues traceParent, StringValues traceState)
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    public const string BaggageHeader = "baggage";

    // ASP.NET Core's default propagator also reads the pre-W3C headers: Request-Id when there is no traceparent, and
    // Correlation-Context as baggage. Left on the request, they would let a caller choose our trace id after all.
    public const string RequestIdHeader = "Request-Id";
    public const string CorrelationContextHeader = "Correlation-Context";

    private static readonly string[] ContextHeaders =
        [TraceParentHeader, TraceStateHeader, BaggageHeader, RequestIdHeader, CorrelationContextHeader];

    /// <summary>Removes the headers when the caller sent any; <see langword="null"/> when there was nothing to take.</summary>
    public static UntrustedTraceContext? TakeFrom(IHeaderDictionary headers)
    {
        if (!ContextHeaders.Any(headers.ContainsKey))
        {
            return null;
        }

        // Only a traceparent is kept, as a link; baggage is dropped: it is the caller's say-so about our data (tenant,
        // user, flags).
        var context = new UntrustedTraceContext(headers[TraceParentHeader], headers[TraceStateHeader]);
        foreach (var header in ContextHeaders)
        {
            headers.Remove(header);
        }

        return context;
    }

    /// <summary>The caller's span as a link, when it sent exactly one well-formed <c>traceparent</c>.</summary>
    public bool TryGetLink(out ActivityLink link)
    {
        link = default;
        if (traceParent.Count != 1
            || !ActivityContext.TryParse(traceParent[0], traceState.Count == 1 ? traceState[0] : null, isRemote: true, out var context))
        {
            return false;
        }

        link = new ActivityLink(context);
        return true;
    }
}
