using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Telemetry;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// An order's payment, whoever settles it: the request that places the order, the outbox worker and the provider's
/// webhook all charge and record through this one service, so an order is settled by the same rules on every path.
/// </summary>
public sealed class OrderPayments(OrdersDbContext db, OrderCache cache, IPaymentProvider provider)
{
    public Task<PaymentResult> ChargeAsync(Order order, string paymentMethod, CancellationToken cancellationToken) =>
        provider.ChargeAsync(order, paymentMethod, cancellationToken);

    /// <summary>
    /// Stores what the payment provider answered, in the caller's transaction if it has one, and drops the order from
    /// the cache, whose copy no longer says how it was paid.
    /// </summary>
    public async Task RecordAsync(Order order, PaymentResult payment, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.RecordPayment);
        order.RecordPayment(payment);
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync(order.TenantId, order.Id);
    }

    /// <summary>
    /// The provider reports that it charged the order (its webhook, delivered once or many times); <see langword="null"/>
    /// when the tenant has no such order.
    /// </summary>
    public async Task<Order?> RecordChargedAsync(Guid orderId, string tenantId, string paymentId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(order => order.Id == orderId && order.TenantId == tenantId, cancellationToken);
        // The provider charged: that is the truth, even over a failure recorded after an attempt timed out.
        if (order is { PaymentStatus: not PaymentStatus.Paid })
        {
            await RecordAsync(order, PaymentResult.Paid(paymentId), cancellationToken);
        }

        return order;
    }
}
