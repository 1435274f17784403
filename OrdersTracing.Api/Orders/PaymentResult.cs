namespace OrdersTracing.Api.Orders;

public sealed record PaymentResult(bool Succeeded, string? PaymentId, string? Error, PaymentFailure Failure)
{
    public static PaymentResult Paid(string paymentId) => new(true, paymentId, null, PaymentFailure.None);

    public static PaymentResult Failed(PaymentFailure failure, string error) => new(false, null, error, failure);
}

public enum PaymentFailure
{
    None,

    /// <summary>The provider answered and said no (a declined card): the customer can act on it.</summary>
    Declined,

    /// <summary>
    /// The provider failed, timed out or could not be reached. A timed-out attempt may still have charged: retry with
    /// the same idempotency key, which makes the provider return the first charge instead of making another.
    /// </summary>
    Unavailable,
}
