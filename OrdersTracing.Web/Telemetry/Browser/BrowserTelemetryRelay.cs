using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// The same-origin door through which the pages' spans reach the trace (docs/front-end.md says why a relay and not
/// CORS on the backends). Everything a browser sends is untrusted: it is size- and rate-capped per client, parsed
/// whole, cut to the instrumentations' attributes, scrubbed, and given Web's own resource before it goes on.
/// </summary>
public static class BrowserTelemetryRelay
{
    private const string JsonMediaType = "application/json";

    public static IHostApplicationBuilder AddBrowserTelemetryRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrowserTelemetryOptions>()
            .Bind(builder.Configuration.GetSection(BrowserTelemetryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<BrowserTelemetryMetrics>();
        builder.Services.AddHttpClient<OtlpTraceForwarder>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(BrowserTelemetryNames.MeterName));
        // A relayed export carries the page's spans; traced itself, every page view would also file a trace of Web's
        // own that tells nobody anything. Wraps the filter ServiceDefaults sets (health probes) rather than replacing it.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
        {
            var filter = options.Filter;
            options.Filter = context =>
                !context.Request.Path.StartsWithSegments(BrowserTelemetryNames.Route) && (filter?.Invoke(context) ?? true);
        });

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(BrowserTelemetryNames.RateLimitPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<BrowserTelemetryOptions>>().Value;
                // The client's address: the connection's, or what a known proxy forwarded (ForwardedHeaders:KnownProxies,
                // none by default), never a header a client sends itself: it cannot pick a fresh partition for itself.
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RequestsPerWindow, Window = limits.RateWindow, QueueLimit = 0 });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var limits = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<BrowserTelemetryOptions>>().Value;
                await Refuse(rejected.HttpContext, StatusCodes.Status429TooManyRequests, BrowserTelemetryNames.Reasons.RateLimited,
                        $"At most {limits.RequestsPerWindow} exports per {limits.RateWindow.TotalSeconds:0} s from one client.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });

        return builder;
    }

    public static WebApplication MapBrowserTelemetryRelay(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapPost(BrowserTelemetryNames.Route, RelayAsync)
            .RequireRateLimiting(BrowserTelemetryNames.RateLimitPolicy)
            .DisableAntiforgery()
            .WithMetadata(new SkipStatusCodePagesAttribute());
        return app;
    }

    public static async Task<Results<Ok<ExportTraceServiceResponse>, ProblemHttpResult>> RelayAsync(
        HttpContext context,
        OtlpTraceForwarder forwarder,
        IOptions<BrowserTelemetryOptions> options,
        IOptions<TracingOptions> tracing,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // Only application/json: another origin's page cannot send it without a CORS preflight, which Web never grants.
        if (!string.Equals(context.Request.GetTypedHeaders().ContentType?.MediaType.Value, JsonMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType, BrowserTelemetryNames.Reasons.UnsupportedMediaType,
                "The relay takes OTLP/JSON (application/json).");
        }

        var body = await ReadAtMostAsync(context.Request, limits.MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return Refuse(context, StatusCodes.Status413PayloadTooLarge, BrowserTelemetryNames.Reasons.TooLarge,
                $"An export is at most {limits.MaxRequestBytes} bytes.");
        }

        var (scopes, error) = OtlpJsonTraceReader.Read(body, limits);
        if (scopes is null)
        {
            return Refuse(context, StatusCodes.Status400BadRequest, BrowserTelemetryNames.Reasons.Malformed, error);
        }

        var spans = scopes.Sum(scope => scope.Spans.Count);
        if (spans > 0)
        {
            var export = OtlpProtobufWriter.ExportTraceServiceRequest(
                [
                    new BrowserAttribute(BrowserTelemetryNames.ServiceNameAttribute, BrowserTelemetryNames.ServiceName),
                    new BrowserAttribute(TelemetryTags.DeploymentEnvironment, tracing.Value.DeploymentEnvironment),
                    new BrowserAttribute(TelemetryTags.DeploymentEnvironmentName, tracing.Value.DeploymentEnvironment),
                ],
                scopes);
            if (!await forwarder.ForwardAsync(export, cancellationToken))
            {
                return Refuse(context, StatusCodes.Status503ServiceUnavailable, BrowserTelemetryNames.Reasons.BackendUnavailable,
                    "The telemetry backend did not take the spans; the page may try again later.");
            }

            context.RequestServices.GetRequiredService<BrowserTelemetryMetrics>().Accepted(spans);
        }

        return TypedResults.Ok(new ExportTraceServiceResponse());
    }

    private static ProblemHttpResult Refuse(HttpContext context, int status, string reason, string? detail)
    {
        context.RequestServices.GetRequiredService<BrowserTelemetryMetrics>().Refused(reason);
        return TypedResults.Problem(detail, statusCode: status, title: "The browser telemetry was refused.",
            extensions: new Dictionary<string, object?> { [BrowserTelemetryNames.ReasonTag] = reason });
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>; never more than that is read.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>OTLP/JSON's answer to a fully accepted export: an empty object.</summary>
public sealed record ExportTraceServiceResponse;
