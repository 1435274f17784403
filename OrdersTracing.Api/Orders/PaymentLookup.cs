namespace OrdersTracing.Api.Orders;

/// <summary>
/// The provider's status of each payment it was asked about (Stripe's <c>status</c>, such as <c>succeeded</c>), or why
/// it could not say; a payment it does not know is missing from <see cref="Statuses"/>.
/// </summary>
public sealed record PaymentLookup(IReadOnlyDictionary<string, string> Statuses, string? Error)
{
    public bool Succeeded => Error is null;

    public static PaymentLookup Found(IReadOnlyDictionary<string, string> statuses) => new(statuses, null);

    public static PaymentLookup Failed(string error) => new(new Dictionary<string, string>(), error);
}
