using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// The first answer per idempotency key, so that a retried request gets the payment intent it already paid for instead
/// of a second charge.
/// </summary>
public sealed class IdempotencyStore
{
    // Bounded like a real provider's idempotency window: the oldest keys go first.
    private readonly BoundedTable<PaymentIntent> intents = new(maxKeys: 10_000);

    public bool TryGet(string key, [NotNullWhen(true)] out PaymentIntent? intent) => intents.TryGetValue(key, out intent);

    /// <summary>
    /// Keeps <paramref name="intent"/> as the answer for <paramref name="key"/>, unless a concurrent request with the
    /// same key got there first: then <paramref name="remembered"/> is that request's intent, and false is returned.
    /// </summary>
    public bool TryRemember(string key, PaymentIntent intent, out PaymentIntent remembered) => intents.TryAdd(key, intent, out remembered);
}
