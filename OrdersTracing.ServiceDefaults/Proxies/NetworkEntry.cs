using System.Net;

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
}
