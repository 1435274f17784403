using System.Diagnostics;
using System.Globalization;
using OrdersTracing.Tests.EndToEnd;
using StackExchange.Redis;

namespace OrdersTracing.Tests.Api.Support;

/// <summary>
/// A throwaway Redis server started by the AppHost's own <c>run-local-redis.sh</c>: one per test class as a fixture,
/// or one of a test's own that it can stop to try an outage.
/// </summary>
public sealed class LocalRedis : IAsyncLifetime
{
    /// <summary>Nothing listens on port 1: the cache is down from the start.</summary>
    public const string Unreachable = "127.0.0.1:1";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string password = Guid.NewGuid().ToString("N");
    private readonly int port = LocalServerScript.FreePort();
    private Process? server;

    public string ConnectionString => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)},password={password}";

    public static async Task<LocalRedis> StartAsync()
    {
        var redis = new LocalRedis();
        await redis.InitializeAsync();
        return redis;
    }

    public async ValueTask InitializeAsync()
    {
        server = LocalServerScript.Start(
            Path.Combine("OrdersTracing.AppHost", "Redis", "run-local-redis.sh"),
            new Dictionary<string, string>
            {
                ["REDIS_PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["REDIS_PASSWORD"] = password,
            });

        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                if (server.HasExited)
                {
                    throw new InvalidOperationException($"run-local-redis.sh exited with {server.ExitCode} before Redis answered.");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>Stops the server for good (the script's restart is for a server that stops by itself).</summary>
    public async ValueTask DisposeAsync()
    {
        if (server is null)
        {
            return;
        }

        await LocalServerScript.StopAsync(server);
        server = null;
    }
}
