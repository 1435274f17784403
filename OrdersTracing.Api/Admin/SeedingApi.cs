using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Admin;

/// <summary>
/// Loads a large tenant quickly (binary COPY), so that the missing <c>(tenant_id, created_at)</c> index shows in the
/// traces the way it did in the reference design. Mapped in development only: it writes without a caller identity.
/// </summary>
public static class SeedingApi
{
    public const int MaxOrders = 5_000_000;

    public static RouteGroupBuilder MapSeedingApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin");
        admin.MapPost("/tenants/{tenantId}/orders", SeedOrdersAsync);
        return admin;
    }

    private static async Task<Results<Ok<SeedResult>, ValidationProblem>> SeedOrdersAsync(
        string tenantId, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken, int count = 100_000)
    {
        if (!CallerClaims.IsValidId(tenantId) || count is < 1 or > MaxOrders)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["tenantId"] = ["A tenant id is lowercase letters, digits and '-'."],
                    ["count"] = [$"Seed 1 to {MaxOrders} orders."],
                },
                title: "The seeding request is not valid.");
        }

        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.SeedOrders);
        activity?.SetTag(TelemetryTags.TenantId, tenantId);
        var stopwatch = Stopwatch.StartNew();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY orders (id, tenant_id, user_id, created_at, total, currency, payment_status) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            var now = clock.GetUtcNow();
            var random = new Random(tenantId.GetHashCode(StringComparison.Ordinal));
            for (var i = 0; i < count; i++)
            {
                // A year of history, in no particular order: the listing must sort, as a real table would make it.
                var createdAt = now.AddSeconds(-random.Next(0, 365 * 24 * 3600));
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(Guid.CreateVersion7(createdAt), NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(tenantId, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync("seeded", NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(decimal.Round((decimal)(random.NextDouble() * 200), 2), NpgsqlDbType.Numeric, cancellationToken);
                await import.WriteAsync("usd", NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync("paid", NpgsqlDbType.Varchar, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        // Fresh statistics, so that the planner picks the index (or knows it has none) for the new rows.
        await db.Database.ExecuteSqlRawAsync("ANALYZE orders", cancellationToken);

        activity?.SetTag(OrdersTelemetry.Tags.OrdersSeeded, count);
        return TypedResults.Ok(new SeedResult(tenantId, count, stopwatch.Elapsed.TotalMilliseconds));
    }
}

public sealed record SeedResult(string TenantId, int Orders, double ElapsedMilliseconds);
