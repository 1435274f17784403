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
    /// the cache, whose copy no longer says how it was paid. A failure is written only over an order still unpaid, by
    /// one conditional <c>UPDATE</c>: between loading the order and recording, the provider's webhook may have reported
    /// that an attempt which timed out here did charge (on this replica or another), and the charge is the truth.
    /// Written back from the loaded order, the failure would overwrite it.
    /// </summary>
    public async Task RecordAsync(Order order, PaymentResult payment, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.RecordPayment);
        if (payment.Succeeded || order.PaymentStatus == PaymentStatus.Paid)
        {
            order.RecordPayment(payment);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            // The caller's own changes first (the outbox row), then the order, only if nobody paid it meanwhile.
            await db.SaveChangesAsync(cancellationToken);
            var recorded = await db.Orders
                .Where(stored => stored.Id == order.Id && stored.PaymentStatus != PaymentStatus.Paid)
                .ExecuteUpdateAsync(stored => stored
                    .SetProperty(o => o.PaymentStatus, PaymentStatus.PaymentFailed)
                    .SetProperty(o => o.PaymentError, payment.Error), cancellationToken);
            if (recorded == 1)
            {
                order.RecordPayment(payment);
                db.ChangeTracker.AcceptAllChanges();
            }
            else
            {
                await db.Entry(order).ReloadAsync(cancellationToken);
            }
        }

        await cache.InvalidateAsync(order.TenantId, order.Id);
    }

    /// <summary>
    /// The provider reports that it charged the order (its webhook, delivered once or many times, to any replica).
    /// The order is settled by one conditional <c>UPDATE</c>, not read and written back: two deliveries at once, on two
    /// Api processes, would both read it unpaid and both apply; the database lets exactly one of them change the row.
    /// </summary>
    public async Task<ChargeRecording> RecordChargedAsync(Guid orderId, string tenantId, string paymentId, CancellationToken cancellationToken)
    {
        var tenantsOrder = db.Orders.Where(order => order.Id == orderId && order.TenantId == tenantId);
        var status = await tenantsOrder.Select(order => (PaymentStatus?)order.PaymentStatus).SingleOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            return ChargeRecording.UnknownOrder;
        }

        if (status == PaymentStatus.Paid)
        {
            return ChargeRecording.AlreadyPaid;
        }

        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.RecordPayment);
        // The provider charged: that is the truth, even over a failure recorded after an attempt timed out.
        var updated = await tenantsOrder
            .Where(order => order.PaymentStatus != PaymentStatus.Paid)
            .ExecuteUpdateAsync(order => order
                .SetProperty(o => o.PaymentStatus, PaymentStatus.Paid)
                .SetProperty(o => o.PaymentId, paymentId)
                .SetProperty(o => o.PaymentError, (string?)null), cancellationToken);
        if (updated == 0)
        {
            return ChargeRecording.AlreadyPaid;
        }

        await cache.InvalidateAsync(tenantId, orderId);
        return ChargeRecording.Applied;
    }
}

/// <summary>What a report that the provider charged an order did to it.</summary>
public enum ChargeRecording
{
    /// <summary>The tenant has no such order; nothing changed.</summary>
    UnknownOrder,

    /// <summary>This report settled the order.</summary>
    Applied,

    /// <summary>The order was paid already, by the charge's answer or by another delivery; nothing changed.</summary>
    AlreadyPaid,
}
