namespace OrdersTracing.Api.Orders;

/// <summary>
/// Charges an order. Declared here and implemented in <c>Payments/</c>, so that orders charge without importing the
/// provider's client while the provider's webhook and the outbox worker still record payments through
/// <see cref="OrderPayments"/>.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Failures come back as a <see cref="PaymentResult"/>, never as an exception.</summary>
    Task<PaymentResult> ChargeAsync(Order order, string paymentMethod, CancellationToken cancellationToken);

    /// <summary>What the provider says of one payment: one call.</summary>
    Task<PaymentLookup> LookUpAsync(string paymentId, CancellationToken cancellationToken);

    /// <summary>What the provider says of each of <paramref name="paymentIds"/>, in one call.</summary>
    Task<PaymentLookup> LookUpAsync(IReadOnlyCollection<string> paymentIds, CancellationToken cancellationToken);

    /// <summary>The charges of one payment: one call.</summary>
    Task<ProviderRecords> ListChargesAsync(string paymentId, CancellationToken cancellationToken);

    /// <summary>The refunds of one payment: one call.</summary>
    Task<ProviderRecords> ListRefundsAsync(string paymentId, CancellationToken cancellationToken);
}
