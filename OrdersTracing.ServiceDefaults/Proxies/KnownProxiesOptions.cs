using System.Net;
using Microsoft.Extensions.Options;

namespace OrdersTracing.ServiceDefaults.Proxies;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> names the client (<c>ForwardedHeaders:KnownProxies</c>, addresses
/// or CIDR networks). Empty by default: a client could otherwise name itself anyone, and the connection's address is
/// then the client, which is what a per-client limit such as the browser telemetry relay's rate cap keys on.
/// </summary>
internal sealed class KnownProxiesOptions
{
    public const string SectionName = "ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];

    internal IReadOnlyList<IPNetwork> Networks() => NetworkEntry.Networks(KnownProxies);
}

/// <summary>Stops the service at start-up on an entry that is not an address or a network, rather than trusting no proxy silently.</summary>
internal sealed class KnownProxiesValidation : IValidateOptions<KnownProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, KnownProxiesOptions options) =>
        NetworkEntry.Validate(options.KnownProxies, $"{KnownProxiesOptions.SectionName}:{nameof(KnownProxiesOptions.KnownProxies)}");
}
