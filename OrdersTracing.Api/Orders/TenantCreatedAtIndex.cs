using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// The <c>(tenant_id, created_at)</c> index that a large tenant's listing depends on: added or dropped at start by
/// <c>Scenarios:TenantCreatedAtIndex</c>, and at run time by the missing-index fault.
/// </summary>
public static class TenantCreatedAtIndex
{
    public static Task SetAsync(DatabaseFacade database, bool exists, CancellationToken cancellationToken) =>
        database.ExecuteSqlRawAsync(
            exists
                ? $"CREATE INDEX IF NOT EXISTS {OrdersDbContext.TenantCreatedAtIndex} ON orders (tenant_id, created_at)"
                : $"DROP INDEX IF EXISTS {OrdersDbContext.TenantCreatedAtIndex}",
            cancellationToken);
}
