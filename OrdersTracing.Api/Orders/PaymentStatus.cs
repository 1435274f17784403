namespace OrdersTracing.Api.Orders;

/// <summary>Serialised snake_case (<c>payment_failed</c>), in JSON and in the database alike.</summary>
public enum PaymentStatus
{
    Pending,
    Paid,
    PaymentFailed,
}
