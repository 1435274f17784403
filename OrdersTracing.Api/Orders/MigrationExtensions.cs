using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class MigrationExtensions
{
    /// <summary>
    /// Brings the schema up to date before the first request (its own trace), then adds or drops the
    /// <c>(tenant_id, created_at)</c> index as <c>Scenarios:TenantCreatedAtIndex</c> asks.
    /// </summary>
    public static async Task MigrateOrdersDatabaseAsync(this WebApplication app)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.Migrate);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        await db.Database.MigrateAsync();

        var withIndex = scope.ServiceProvider.GetRequiredService<IOptions<ScenarioOptions>>().Value.TenantCreatedAtIndex;
        await TenantCreatedAtIndex.SetAsync(db.Database, withIndex, CancellationToken.None);
    }
}
