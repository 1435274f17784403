using System.Net;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Proxies;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// The callers whose trace context a public edge continues, bound from <c>Tracing:TrustedCallers</c> as IP addresses or
/// CIDR networks (<c>10.0.0.0/8</c>, <c>::1</c>). Empty by default: anyone can send a <c>traceparent</c>, so by default
/// no one picks our trace ids, forces our sampling or injects our baggage. The address checked is the connection's peer,
/// read before any forwarded-headers middleware runs: behind a proxy, trusting the proxy trusts what it passes on.
/// </summary>
internal sealed class TrustedCallersOptions
{
    public const string SectionName = "Tracing";

    public List<string> TrustedCallers { get; set; } = [];

    /// <summary>The networks <see cref="TrustedCallers"/> names, once validated; an address is a network of one.</summary>
    internal IReadOnlyList<IPNetwork> Networks() =>
        NetworkEntry.Networks(TrustedCallers);
}

/// <summary>Stops the service at start-up when an entry is not an address or a network, rather than silently trusting no one.</summary>
internal sealed class TrustedCallersValidation : IValidateOptions<TrustedCallersOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedCallersOptions options) =>
        NetworkEntry.Validate(options.TrustedCallers, $"{TrustedCallersOptions.SectionName}:{nameof(TrustedCallersOptions.TrustedCallers)}");
}
