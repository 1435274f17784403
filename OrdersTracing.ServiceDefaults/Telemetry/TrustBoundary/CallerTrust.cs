using System.Net;
using Microsoft.Extensions.Options;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>Whether a caller's address is one of <see cref="TrustedCallersOptions.TrustedCallers"/>.</summary>
internal sealed class CallerTrust(IOptions<TrustedCallersOptions> options)
{
    private readonly IReadOnlyList<IPNetwork> trusted = options.Value.Networks();

    public bool IsTrusted(IPAddress? caller)
    {
        if (caller is null || trusted.Count == 0)
        {
            return false;
        }

        // Kestrel listening on IPv6 reports IPv4 callers as ::ffff:a.b.c.d.
        var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        foreach (var network in trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
