using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrdersTracing.Tests.EndToEnd;

namespace OrdersTracing.Tests.Api.Support;

/// <summary>
/// Runs one of the AppHost's own server scripts (<c>run-local-postgres.sh</c>, <c>run-local-redis.sh</c>) for the
/// tests, as the AppHost runs it in local mode, so the tests start their servers the way the application does.
/// </summary>
internal static class LocalServerScript
{
    /// <summary>Starts <paramref name="script"/> (a path below the repository) with the given environment.</summary>
    public static Process Start(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = Process.Start(start) ?? throw new InvalidOperationException($"{Path.GetFileName(script)} did not start.");
        // Read and dropped, so a chatty server never blocks on a full pipe.
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// TERM lets the script stop its server and remove its data folder (its restart is for a server that stops by
    /// itself); a kill would leave both behind.
    /// </summary>
    public static async Task StopAsync(Process server)
    {
        LocalProcesses.Signal(server.Id, "TERM");
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server.WaitForExitAsync(stopped.Token);
        server.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrdersTracing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No OrdersTracing.sln above {AppContext.BaseDirectory}.");
    }
}
