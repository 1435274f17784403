using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// A TCP endpoint on loopback that stands where the services send their telemetry and plays the backend's faults:
/// it refuses every connection, accepts them and never answers, or forwards them to the real receiver (the dashboard).
/// </summary>
public sealed class FaultyOtlpBackend : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<TcpClient, byte> connections = new();
    private readonly Task accepting;
    private volatile BackendMode mode;
    private IPEndPoint? target;

    public FaultyOtlpBackend(BackendMode initialMode)
    {
        mode = initialMode;
        listener.Start();
        accepting = AcceptAsync();
    }

    public enum BackendMode
    {
        /// <summary>Resets every connection at once: an unreachable backend, seen from the exporter.</summary>
        Refuse,

        /// <summary>Accepts and holds every connection, reading nothing and answering nothing: a hung backend.</summary>
        BlackHole,

        /// <summary>Passes bytes both ways to the real receiver.</summary>
        Forward,
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>Where <see cref="BackendMode.Forward"/> sends connections; known once the application has started.</summary>
    public void ForwardTo(Uri receiver) =>
        target = new IPEndPoint(IPAddress.Parse(receiver.Host == "localhost" ? "127.0.0.1" : receiver.Host), receiver.Port);

    /// <summary>
    /// Switches the fault and drops every open connection, as a backend that restarts does; otherwise a client would
    /// keep using its pooled, held connection forever.
    /// </summary>
    public void Switch(BackendMode newMode)
    {
        mode = newMode;
        foreach (var connection in connections.Keys)
        {
            Close(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Switch(BackendMode.Refuse);
        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            switch (mode)
            {
                case BackendMode.Refuse:
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    break;
                case BackendMode.BlackHole:
                    connections.TryAdd(client, 0);
                    break;
                default:
                    connections.TryAdd(client, 0);
                    _ = ForwardAsync(client);
                    break;
            }
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(target ?? throw new InvalidOperationException("No receiver to forward to."), stopping.Token);
            connections.TryAdd(upstream, 0);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up, stopping.Token), up.CopyToAsync(down, stopping.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            Close(client);
            Close(upstream);
        }
    }

    private void Close(TcpClient connection)
    {
        connections.TryRemove(connection, out _);
        try
        {
            // A reset, not a polite close: the client must not wait for the rest of a half-open stream. The forwarding
            // side may have closed the connection already, leaving no socket.
            if (connection.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }

        connection.Dispose();
    }
}
