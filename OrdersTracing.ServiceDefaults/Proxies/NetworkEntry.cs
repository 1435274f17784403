using System.Net;
using Microsoft.Extensions.Options;

namespace OrdersTracing.ServiceDefaults.Proxies;

/// <summary>How a setting names callers: an IP address (a network of one) or a CIDR network (<c>10.0.0.0/8</c>, <c>::1</c>).</summary>
internal static class NetworkEntry
{
    public static bool TryParse(string entry, out IPNetwork network)
    {
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        return false;
    }

    /// <summary>The networks <paramref name="entries"/> name, once validated by <see cref="Validate"/>.</summary>
    public static IReadOnlyList<IPNetwork> Networks(IEnumerable<string> entries) =>
        [.. entries.Select(entry => TryParse(entry, out var network) ? network : throw new FormatException($"'{entry}' is not an IP address or network."))];

    /// <summary>Fails on every entry of <paramref name="setting"/> that is not an address or a network, each named by its index.</summary>
    public static ValidateOptionsResult Validate(IEnumerable<string> entries, string setting)
    {
        var failures = entries
            .Select((entry, index) => (entry, index))
            .Where(item => !TryParse(item.entry, out _))
            .Select(item => $"{setting}:{item.index} '{item.entry}' is not an IP address or a CIDR network such as 10.0.0.0/8 or ::1.")
            .ToList();

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
