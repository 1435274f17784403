using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// The trace context a page hands back to the edge that rendered it, so that a form's submit, the POST it causes and
/// the page it is redirected to continue one trace. A browser's <c>traceparent</c> is untrusted, so the edge continues
/// it only with a proof it issued itself: the page's trace id and flags, protected by ASP.NET Core Data Protection and
/// written into the page (or, for a redirect, into a cookie). A caller can therefore only join a trace this edge
/// started and handed to it, and can neither choose a trace id nor turn sampling on (docs/front-end.md).
/// </summary>
public sealed class PageTraceContext(IDataProtectionProvider dataProtection)
{
    /// <summary>The cookie a page sets for the request its form submits (and the edge sets for a redirect it answers).</summary>
    public const string CookieName = "otel-page-context";

    /// <summary>A page older than this starts a new trace when it is submitted: a proof cannot be replayed for ever.</summary>
    public static readonly TimeSpan ProofLifetime = TimeSpan.FromHours(1);

    private const char Separator = '.';

    private readonly ITimeLimitedDataProtector protector =
        dataProtection.CreateProtector("OrdersTracing.PageTraceContext").ToTimeLimitedDataProtector();

    /// <summary>The W3C traceparent of <paramref name="activity"/>, or null outside a traced request.</summary>
    public static string? Traceparent(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C }
            ? $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{Flags(activity.ActivityTraceFlags)}"
            : null;

    /// <summary>What proves a context of <paramref name="activity"/>'s trace came from this edge; null outside a traced request.</summary>
    public string? Proof(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? protector.Protect(Proven(activity.TraceId, activity.ActivityTraceFlags), ProofLifetime) : null;

    /// <summary>The cookie value that makes the next request continue under <paramref name="activity"/>.</summary>
    public string? CookieValue(Activity? activity) =>
        Traceparent(activity) is { } traceparent && Proof(activity) is { } proof ? traceparent + Separator + proof : null;

    /// <summary>
    /// The traceparent of a cookie value whose proof this edge issued for the same trace id and flags; any other value,
    /// a forged, expired or another trace's proof included, gives null.
    /// </summary>
    public string? Verify(string? cookieValue)
    {
        if (cookieValue?.Split(Separator, 2) is not [var traceparent, var proof]
            || !ActivityContext.TryParse(traceparent, null, isRemote: true, out var context))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(proof) == Proven(context.TraceId, context.TraceFlags)
                ? $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{Flags(context.TraceFlags)}"
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string Proven(ActivityTraceId traceId, ActivityTraceFlags flags) => $"{traceId.ToHexString()}-{Flags(flags)}";

    private static string Flags(ActivityTraceFlags flags) => (flags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
}
