using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class OrdersDatabaseExtensions
{
    /// <summary>
    /// Retries of a failed database call: Aspire's default (6 retries, up to 30 s apart) would hold a request for
    /// minutes while Postgres is down. Two quick ones ride out a dropped connection; a stopped server is a fast 503.
    /// </summary>
    public const int MaxRetries = 2;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The orders database through Aspire's Npgsql integration: pooling, bounded retries, health check and tracing, and
    /// a span for each wait for a connection (<see cref="ConnectionOpenTracing"/>).
    /// </summary>
    public static IHostApplicationBuilder AddOrdersDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrdersDbContext>(
            OrdersDbContext.ConnectionName,
            configureSettings: settings => settings.DisableRetry = true,
            configureDbContextOptions: options => options
                .UseNpgsql(npgsql => npgsql.EnableRetryOnFailure(MaxRetries, MaxRetryDelay, errorCodesToAdd: null))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(ConnectionOpenTracing.Instance));

        return builder;
    }
}
