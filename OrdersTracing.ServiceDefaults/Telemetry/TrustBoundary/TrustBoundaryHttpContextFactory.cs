using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// Takes an untrusted caller's trace context headers off the request as it is created: the one moment before both
/// ASP.NET Core's hosting (through <c>DistributedContextPropagator</c>) and OpenTelemetry's instrumentation (through
/// <c>Propagators.DefaultTextMapPropagator</c>) read them to choose the server span's parent. Both then start a new trace.
/// </summary>
internal sealed class TrustBoundaryHttpContextFactory(IHttpContextFactory inner, CallerTrust trust) : IHttpContextFactory
{
    public HttpContext Create(IFeatureCollection featureCollection)
    {
        var context = inner.Create(featureCollection);
        if (!trust.IsTrusted(context.Connection.RemoteIpAddress) && UntrustedTraceContext.TakeFrom(context.Request.Headers) is { } untrusted)
        {
            context.Features.Set(untrusted);
        }

        return context;
    }

    public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
}
