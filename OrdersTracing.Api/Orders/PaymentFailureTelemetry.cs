using System.Diagnostics;
using OrdersTracing.Api.Telemetry;

namespace OrdersTracing.Api.Orders;

internal static class PaymentFailureTelemetry
{
    /// <summary>
    /// Marks the span failed as an exception would (status Error and an <c>exception</c> event, which every backend
    /// shows), though nothing was thrown: a refused payment is an answer, not a fault of ours.
    /// </summary>
    public static void RecordPaymentFailure(this Activity? activity, Guid orderId, PaymentResult payment)
    {
        if (activity is null)
        {
            return;
        }

        var message = $"Payment for order {orderId} failed ({payment.Failure}): {payment.Error}";
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.AddEvent(new ActivityEvent(
            OrdersTelemetry.Exceptions.EventName,
            tags: new ActivityTagsCollection
            {
                [OrdersTelemetry.Exceptions.Type] = OrdersTelemetry.Exceptions.PaymentFailedType,
                [OrdersTelemetry.Exceptions.Message] = message,
            }));
    }
}
