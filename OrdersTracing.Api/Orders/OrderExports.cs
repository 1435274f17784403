using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A tenant's orders with their items for another system: the large-payload scenario. In one response its size grows
/// with the tenant, without bound; in keyset pages each response is bounded, and a page costs the same however deep.
/// </summary>
public sealed class OrderExports(OrdersDbContext db)
{
    public async Task<OrderExport> ExportAsync(
        CallerIdentity caller, ExportPaging paging, Guid? after, int pageSize, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.ExportOrders, caller);
        activity?.SetTag(OrdersTelemetry.Tags.ExportPaging, paging.ToString());

        // Version 7 ids grow with time, so the id alone orders the export oldest first and is the cursor.
        var orders = db.Orders
            .AsNoTracking()
            .Include(order => order.Items)
            .Where(order => order.TenantId == caller.TenantId)
            .OrderBy(order => order.Id);

        List<Order> rows;
        if (paging == ExportPaging.None)
        {
            rows = await orders.ToListAsync(cancellationToken);
        }
        else
        {
            var from = after ?? Guid.Empty;
            rows = await orders.Where(order => order.Id.CompareTo(from) > 0).Take(pageSize + 1).ToListAsync(cancellationToken);
        }

        var page = paging == ExportPaging.None ? rows : rows.Take(pageSize).ToList();
        var next = rows.Count > page.Count ? page[^1].Id : (Guid?)null;
        activity?.SetTag(OrdersTelemetry.Tags.OrdersExported, page.Count);

        return new OrderExport([.. page.Select(OrderResponse.From)], next);
    }
}

/// <param name="Next">The cursor of the next page (<c>after</c>); <see langword="null"/> on the last.</param>
public sealed record OrderExport(IReadOnlyList<OrderResponse> Orders, Guid? Next);
