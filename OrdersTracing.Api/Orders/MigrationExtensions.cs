using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class MigrationExtensions
{
    /// <summary>Brings the schema up to date before the first request; the migration shows up as its own trace.</summary>
    public static async Task MigrateOrdersDatabaseAsync(this WebApplication app)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.Migrate);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        await db.Database.MigrateAsync();
    }
}
