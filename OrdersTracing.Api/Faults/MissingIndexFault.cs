using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Orders;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

/// <summary>
/// Drops the <c>(tenant_id, created_at)</c> index and refreshes the statistics, so that the planner really changes
/// plan: a large tenant's listing scans and sorts (seed one with <c>POST /api/admin/tenants/{id}/orders</c>).
/// </summary>
internal sealed class MissingIndexFault(IServiceScopeFactory scopes) : IFaultMechanism
{
    public FaultKind Kind => FaultKind.MissingIndex;

    public Task SwitchOnAsync(FaultSpec spec, CancellationToken cancellationToken) => SetIndexAsync(exists: false, cancellationToken);

    public Task SwitchOffAsync(CancellationToken cancellationToken) => SetIndexAsync(exists: true, cancellationToken);

    private async Task SetIndexAsync(bool exists, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        await TenantCreatedAtIndex.SetAsync(db.Database, exists, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("ANALYZE orders", cancellationToken);
    }
}
