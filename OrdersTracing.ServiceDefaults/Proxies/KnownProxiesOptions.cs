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

    internal IEnumerable<IPNetwork> Networks() =>
        KnownProxies.Select(entry => NetworkEntry.TryParse(entry, out var network) ? network : throw new FormatException($"'{entry}' is not an IP address or network."));
}

/// <summary>Stops the service at start-up on an entry that is not an address or a network, rather than trusting no proxy silently.</summary>
internal sealed class KnownProxiesValidation : IValidateOptions<KnownProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, KnownProxiesOptions options)
    {
        var failures = options.KnownProxies
            .Select((entry, index) => (entry, index))
            .Where(item => !NetworkEntry.TryParse(item.entry, out _))
            .Select(item => $"{KnownProxiesOptions.SectionName}:KnownProxies:{item.index} '{item.entry}' is not an IP address or a CIDR network such as 10.0.0.0/8 or ::1.")
            .ToList();

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
