using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Problems;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Orders;

/// <summary>Places an order and either charges it at once or leaves its payment to the outbox worker.</summary>
public sealed class OrderPlacement(
    OrdersDbContext db,
    OrderPayments payments,
    TimeProvider clock,
    IOptionsMonitor<ScenarioOptions> scenarios,
    ILogger<OrderPlacement> logger)
{
    /// <param name="payment">Overrides <c>Scenarios:Payments</c> for this order, to compare both on the same system.</param>
    public async Task<PlacedOrder> PlaceAsync(CallerIdentity caller, CreateOrderRequest request, PaymentProcessing? payment, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.CreateOrder, caller);

        var order = Order.Place(
            caller.TenantId,
            caller.UserId,
            request.Items!.Select(item => new OrderItem { Sku = item.Sku!, Quantity = item.Quantity, UnitPrice = item.UnitPrice }),
            clock.GetUtcNow());
        var paymentMethod = request.PaymentMethod ?? CreateOrderRequest.DefaultPaymentMethod;
        var processing = payment ?? scenarios.CurrentValue.Payments;
        activity?.SetTag(TelemetryTags.OrderId, order.Id);
        activity?.SetTag(TelemetryTags.OrderTotal, order.Total);
        activity?.SetTag(TelemetryTags.OrderItemCount, order.Items.Count);
        activity?.SetTag(TelemetryTags.PaymentProcessing, processing.ToString());

        db.Orders.Add(order);
        if (processing == PaymentProcessing.Background)
        {
            // One transaction: the order never exists without the payment request that will settle it.
            db.PaymentRequests.Add(PaymentRequest.For(order, paymentMethod, Activity.Current));
            await db.SaveChangesAsync(cancellationToken);
            return new PlacedOrder(order, Payment: null);
        }

        await db.SaveChangesAsync(cancellationToken);

        // From here the order exists: finish recording its payment even if the caller goes away.
        var result = await payments.ChargeAsync(order, paymentMethod, CancellationToken.None);
        try
        {
            await payments.RecordAsync(order, result, CancellationToken.None);
        }
        catch (Exception exception) when (DatabaseUnavailableExceptionHandler.IsDatabaseUnavailable(exception))
        {
            // The order is saved and the provider has answered: a 503 now would invite the caller to place the order
            // again and be charged twice. The order is answered as it is; the provider's webhook records a successful
            // payment once the database is back.
            activity?.AddException(exception);
            logger.LogWarning(
                "Order {OrderId} was saved and its payment answered, but the database went away before the answer was recorded: {Error}",
                order.Id, exception.GetBaseException().Message);
        }

        activity?.SetTag(TelemetryTags.PaymentStatus, order.PaymentStatus.ToString());
        if (!result.Succeeded)
        {
            activity.RecordPaymentFailure(order.Id, result);
        }

        return new PlacedOrder(order, result);
    }
}

/// <param name="Payment">What the provider answered; <see langword="null"/> when the outbox worker will charge the order.</param>
public sealed record PlacedOrder(Order Order, PaymentResult? Payment);
