using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// Takes an untrusted caller's trace context headers off the request as it is created: the one moment before both
/// ASP.NET Core's hosting (through <c>DistributedContextPropagator</c>) and OpenTelemetry's instrumentation (through
/// <c>Propagators.DefaultTextMapPropagator</c>) read them to choose the server span's parent. Both then start a new trace,
/// unless the request carries a page context this edge proved itself (<see cref="PageTraceContext"/>): that one becomes
/// the request's <c>traceparent</c>, the only way a browser's request continues a trace.
/// </summary>
internal sealed class TrustBoundaryHttpContextFactory(IHttpContextFactory inner, CallerTrust trust, PageTraceContext pages) : IHttpContextFactory
{
    public HttpContext Create(IFeatureCollection featureCollection)
    {
        var context = inner.Create(featureCollection);
        var headers = context.Request.Headers;
        if (!trust.IsTrusted(context.Connection.RemoteIpAddress) && UntrustedTraceContext.TakeFrom(headers) is { } untrusted)
        {
            context.Features.Set(untrusted);
        }

        if (context.Request.Cookies.TryGetValue(PageTraceContext.CookieName, out var cookie))
        {
            // Proven or not, used or not, a page context is good for one request.
            context.Features.Set(new SpentPageContext());
            if (!headers.ContainsKey(UntrustedTraceContext.TraceParentHeader) && pages.Verify(cookie) is { } traceparent)
            {
                headers[UntrustedTraceContext.TraceParentHeader] = traceparent;
            }
        }

        return context;
    }

    public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
}
