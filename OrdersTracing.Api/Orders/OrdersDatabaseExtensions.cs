using Microsoft.EntityFrameworkCore;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class OrdersDatabaseExtensions
{
    /// <summary>The orders database through Aspire's Npgsql integration: pooling, retries, health check and tracing.</summary>
    public static IHostApplicationBuilder AddOrdersDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrdersDbContext>(OrdersDbContext.ConnectionName, configureDbContextOptions: options => options
            .UseSnakeCaseNamingConvention()
            .UseNpgsql(npgsql => npgsql.ConfigureDataSource(dataSource => dataSource.ConfigureTracing(tracing => tracing
                // Npgsql 10 writes db.system.name only; the Collector's servicegraph connector and older backends key on db.system.
                .ConfigureCommandEnrichmentCallback((activity, _) => activity.SetTag(TelemetryTags.DbSystem, "postgresql"))))));

        return builder;
    }
}
