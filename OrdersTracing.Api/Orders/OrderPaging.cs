namespace OrdersTracing.Api.Orders;

internal static class OrderPaging
{
    /// <summary>
    /// One row more than the page, newest first with the id breaking ties, so pages never overlap or skip; the extra
    /// row tells whether another page exists, without counting the tenant's orders.
    /// </summary>
    public static IQueryable<Order> NewestFirst(this IQueryable<Order> orders, string tenantId, int page, int pageSize) => orders
        .Where(order => order.TenantId == tenantId)
        .OrderByDescending(order => order.CreatedAt)
        .ThenByDescending(order => order.Id)
        .Skip((page - 1) * pageSize)
        .Take(pageSize + 1);
}
