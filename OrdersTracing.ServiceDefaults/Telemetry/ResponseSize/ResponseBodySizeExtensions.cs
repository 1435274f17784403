using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.ResponseSize;

/// <summary>
/// Records the size of the response body on the request's server span as <c>http.response.body.size</c>. The ASP.NET
/// Core instrumentation does not set it, and a JSON result has no <c>Content-Length</c> (it is written chunked), yet the
/// large-payload detector reads exactly this attribute: without it an export that sends every order in one response is
/// invisible to the detector and to the Trace doctor.
/// </summary>
public static class ResponseBodySizeExtensions
{
    /// <summary>Counts the bytes written to each traced response; put it first, so that it sees what every later middleware writes.</summary>
    public static IApplicationBuilder UseResponseBodySize(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // The hosting layer started the server span before the pipeline runs; an untraced request costs nothing here.
        // Recorded as well: with no tracer at all (OTEL_SDK_DISABLED) ASP.NET Core still starts an Activity of its own
        // for its diagnostic listeners, which says all data is requested but that no one samples or exports.
        if (Activity.Current is not { IsAllDataRequested: true, Recorded: true } activity || context.WebSockets.IsWebSocketRequest
            || context.Features.Get<IHttpResponseBodyFeature>() is not { } server)
        {
            await next(context);
            return;
        }

        var counted = new CountingResponseBody(server);
        context.Features.Set<IHttpResponseBodyFeature>(counted);
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(server);
            activity.SetTag(SpanAttributes.HttpResponseBodySize, context.Response.ContentLength ?? counted.BytesWritten);
        }
    });
}
