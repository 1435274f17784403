using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// A public edge's defence against callers who would choose our trace ids, force our sampling or inject our baggage.
/// </summary>
public static class TrustBoundaryExtensions
{
    /// <summary>
    /// Makes this service a public edge: a caller outside <c>Tracing:TrustedCallers</c> gets a new trace whose server
    /// span links to the caller's context, instead of a span inside the caller's trace, and its baggage is dropped.
    /// A page this edge rendered continues its trace through a form's submit and the redirect that answers it, proven by
    /// <see cref="PageTraceContext"/>. Internal services leave this out and continue their callers' traces as usual.
    /// </summary>
    public static TBuilder AddTraceContextTrustBoundary<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TrustedCallersOptions>()
            .BindConfiguration(TrustedCallersOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustedCallersOptions>, TrustedCallersValidation>();
        builder.Services.AddSingleton<CallerTrust>();
        builder.Services.AddDataProtection();
        builder.Services.AddSingleton<PageTraceContext>();

        builder.Services.Replace(ServiceDescriptor.Singleton<IHttpContextFactory>(services => new TrustBoundaryHttpContextFactory(
            new DefaultHttpContextFactory(services), services.GetRequiredService<CallerTrust>(), services.GetRequiredService<PageTraceContext>())));
        builder.Services.AddSingleton<IStartupFilter, CallerLinkStartupFilter>();

        return builder;
    }

    /// <summary>
    /// Links the new trace to the caller's, first in the pipeline, while the server span is still open; and hands a
    /// redirected request this one's context (<see cref="PageContextCookies"/>).
    /// </summary>
    private sealed class CallerLinkStartupFilter(PageTraceContext pages) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                PageContextCookies.WriteOnResponse(context, pages);
                if (context.Features.Get<UntrustedTraceContext>()?.TryGetLink(out var link) == true)
                {
                    context.Features.Get<IHttpActivityFeature>()?.Activity.AddLink(link);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
