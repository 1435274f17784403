using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrdersTracing.AppHost.Postgres;

/// <summary>Healthy once the server accepts a password login; the orders database exists by then (the script creates it before listening), its schema comes from the Api's migrations.</summary>
internal sealed class PostgresServerHealthCheck(LocalPostgresResource postgres) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await postgres.ServerConnectionStringExpression.GetValueAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL on '{postgres.Name}' does not accept connections yet.", exception);
        }
    }
}
