using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class MigrationExtensions
{
    /// <summary>Brings the schema up to date before the first request (its own trace).</summary>
    public static Task MigrateOrdersDatabaseAsync(this WebApplication app) => app.Services.MigrateOrdersDatabaseAsync(app.Lifetime.ApplicationStopping);

    /// <summary>
    /// Migrates the schema, then adds or drops the <c>(tenant_id, created_at)</c> index as
    /// <c>Scenarios:TenantCreatedAtIndex</c> asks; one replica at a time (<see cref="MigrationLock"/>), so replicas may
    /// start together.
    /// </summary>
    public static async Task MigrateOrdersDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.Migrate);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        await using var migrating = await MigrationLock.AcquireAsync(db.Database, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        var withIndex = scope.ServiceProvider.GetRequiredService<IOptions<ScenarioOptions>>().Value.TenantCreatedAtIndex;
        await TenantCreatedAtIndex.SetAsync(db.Database, withIndex, cancellationToken);
    }
}
