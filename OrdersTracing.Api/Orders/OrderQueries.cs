using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Orders;

/// <summary>Reads a tenant's orders; every query filters by the caller's tenant, so no path can read another's.</summary>
public sealed class OrderQueries(OrdersDbContext db, OrderCache cache, IOptionsMonitor<ScenarioOptions> scenarios, FaultSwitch faults)
{
    public async Task<OrderPage> ListAsync(CallerIdentity caller, int page, int pageSize, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.ListOrders, caller);

        var rows = await db.Orders.NewestFirst(caller.TenantId, page, pageSize)
            .AsNoTracking()
            .Select(order => new OrderSummary(order.Id, order.CreatedAt, order.Total, order.Currency, order.PaymentStatus))
            .ToListAsync(cancellationToken);

        return new OrderPage(page, pageSize, rows.Count > pageSize, rows.Take(pageSize).ToList());
    }

    /// <summary>
    /// A page of orders with their line items: the reference design's N+1. <paramref name="loading"/> overrides
    /// <c>Scenarios:ItemLoading</c> for this request; the N+1 fault overrides the setting, as a regression would.
    /// </summary>
    public async Task<OrderPageWithItems> ListWithItemsAsync(
        CallerIdentity caller, int page, int pageSize, ItemLoading? loading, CancellationToken cancellationToken)
    {
        var itemLoading = loading ?? (faults.IsOn(FaultKind.NPlusOne) ? ItemLoading.Naive : scenarios.CurrentValue.ItemLoading);
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.ListOrdersWithItems, caller);
        activity?.SetTag(TelemetryTags.ItemLoading, itemLoading.ToString());

        var newestFirst = db.Orders.NewestFirst(caller.TenantId, page, pageSize);
        List<Order> orders;
        if (itemLoading == ItemLoading.Eager)
        {
            orders = await newestFirst.AsNoTracking().Include(order => order.Items).ToListAsync(cancellationToken);
        }
        else
        {
            orders = await newestFirst.ToListAsync(cancellationToken);
            foreach (var order in orders.Take(pageSize))
            {
                await db.Entry(order).Collection(order => order.Items).LoadAsync(cancellationToken);
            }
        }

        return new OrderPageWithItems(page, pageSize, orders.Count > pageSize, [.. orders.Take(pageSize).Select(OrderResponse.From)]);
    }

    /// <summary>One order, from the cache when it holds it (<see cref="OrderCache"/>), else from the database.</summary>
    /// <returns><see langword="null"/> when the tenant has no such order, whether or not another tenant has.</returns>
    public async Task<OrderResponse?> GetAsync(CallerIdentity caller, Guid orderId, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.GetOrder, caller);
        activity?.SetTag(TelemetryTags.OrderId, orderId);

        if (await cache.GetAsync(caller.TenantId, orderId) is { } cached)
        {
            return cached;
        }

        var order = await db.Orders
            .AsNoTracking()
            .Include(order => order.Items)
            .FirstOrDefaultAsync(order => order.Id == orderId && order.TenantId == caller.TenantId, cancellationToken);
        if (order is null)
        {
            return null;
        }

        var response = OrderResponse.From(order);
        await cache.SetAsync(response);
        return response;
    }
}
