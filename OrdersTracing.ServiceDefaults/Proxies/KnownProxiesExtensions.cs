using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrdersTracing.ServiceDefaults.Proxies;

/// <summary>Who the client is behind a reverse proxy, for limits kept per client.</summary>
public static class KnownProxiesExtensions
{
    /// <summary>
    /// Sets ASP.NET Core's forwarded headers to take the client's address from <c>X-Forwarded-For</c> only when the
    /// connection comes from one of <c>ForwardedHeaders:KnownProxies</c>; ASP.NET Core's own default (loopback) is
    /// dropped, so with none configured the connection's address is the client. Pair with <c>app.UseForwardedHeaders()</c>.
    /// </summary>
    public static TBuilder AddKnownProxies<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<KnownProxiesOptions>()
            .BindConfiguration(KnownProxiesOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KnownProxiesOptions>, KnownProxiesValidation>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<KnownProxiesOptions>>((forwarded, proxies) =>
        {
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in proxies.Value.Networks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // Both lists empty would make the middleware believe any caller, so no proxy means no header is read at all.
            forwarded.ForwardedHeaders = forwarded.KnownIPNetworks.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor;
        });

        return builder;
    }
}
