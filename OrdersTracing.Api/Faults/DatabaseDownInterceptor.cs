using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

/// <summary>
/// While the database is "down", each connection the Api opens is first tried by Npgsql against a local port nothing
/// listens on, and that refusal is what the Api gets: Npgsql's own exception, EF Core's retries and the 503, exactly
/// as when Postgres is stopped, while Postgres keeps running for everything else.
/// </summary>
internal sealed class DatabaseDownInterceptor(FaultSwitch faults) : DbConnectionInterceptor
{
    private static readonly string Unreachable = new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = ClosedPort.Number,
        Username = "orders",
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (faults.IsOn(FaultKind.DatabaseDown))
        {
            await using var refused = new NpgsqlConnection(Unreachable);
            await refused.OpenAsync(cancellationToken);
        }

        return result;
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (faults.IsOn(FaultKind.DatabaseDown))
        {
            using var refused = new NpgsqlConnection(Unreachable);
            refused.Open();
        }

        return result;
    }
}
