using System.Net;
using System.Net.Sockets;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// A loopback port nothing listens on: the operating system assigned it and it was released at once, so a
/// connection to it is refused for real, as to a service that is down.
/// </summary>
public static class ClosedPort
{
    private static readonly Lazy<int> Port = new(() =>
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    });

    public static int Number => Port.Value;
}
