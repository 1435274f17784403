using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using OrdersTracing.Tests.EndToEnd;

namespace OrdersTracing.Tests.Api.Support;

/// <summary>
/// A throwaway PostgreSQL server started by the AppHost's own <c>run-local-postgres.sh</c>, once for all Api tests,
/// with the orders schema migrated into a template: each test gets a database of its own, copied from it in
/// milliseconds, so that no test sees another's outbox rows.
/// </summary>
public sealed class LocalPostgres : IAsyncLifetime
{
    private const string TemplateDatabase = "orders_template";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly string password = Guid.NewGuid().ToString("N");
    private readonly int port = LocalServerScript.FreePort();
    private Process? server;

    public async ValueTask InitializeAsync()
    {
        server = LocalServerScript.Start(
            Path.Combine("OrdersTracing.AppHost", "Postgres", "run-local-postgres.sh"),
            new Dictionary<string, string>
            {
                ["PGPORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["POSTGRES_PASSWORD"] = password,
            });

        await WaitUntilAcceptingAsync();
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {TemplateDatabase}", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var services = ApiServices.Create(ConnectionString(TemplateDatabase), new FakePaymentProvider()))
        {
            await services.MigrateAsync();
        }

        // A database with connections open cannot be copied: the pooled ones the migration used must close.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A new database with the orders schema and no rows, for one test.</summary>
    public Task<string> CreateDatabaseAsync() => CreateDatabaseAsync(TemplateDatabase);

    /// <summary>A new database without even the schema, as a first deployment's Api finds it.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateDatabaseAsync("template0");

    /// <summary>A connection string to a database this server does not have (yet).</summary>
    public string MissingDatabase() => ConnectionString($"orders_{Guid.NewGuid():N}");

    private async Task<string> CreateDatabaseAsync(string template)
    {
        var name = $"orders_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template}", admin);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (server is null)
        {
            return;
        }

        await LocalServerScript.StopAsync(server);
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = "postgres",
        Password = password,
        Database = database,
    }.ConnectionString;

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or SocketException && DateTime.UtcNow < deadline)
            {
                if (server!.HasExited)
                {
                    throw new InvalidOperationException($"run-local-postgres.sh exited with {server.ExitCode} before PostgreSQL accepted connections.", exception);
                }

                await Task.Delay(100);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalPostgresCollection : ICollectionFixture<LocalPostgres>
{
    public const string Name = "Api on a local PostgreSQL";
}
