using Microsoft.EntityFrameworkCore;

namespace OrdersTracing.Api.Orders;

public static class OrdersDatabaseExtensions
{
    /// <summary>The orders database through Aspire's Npgsql integration: pooling, retries, health check and tracing.</summary>
    public static IHostApplicationBuilder AddOrdersDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrdersDbContext>(OrdersDbContext.ConnectionName, configureDbContextOptions: options => options
            .UseSnakeCaseNamingConvention());

        return builder;
    }
}
