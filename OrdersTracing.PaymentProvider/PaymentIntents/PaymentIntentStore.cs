using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>The payment intents the stand-in created, by id, so that they can be retrieved as Stripe's are.</summary>
public sealed class PaymentIntentStore
{
    // Bounded like the idempotency window: an intent older than the provider's memory is answered as missing.
    private readonly BoundedTable<PaymentIntent> intents = new(maxKeys: 10_000);

    public void Add(PaymentIntent intent) => intents.TryAdd(intent.Id, intent, out _);

    public bool TryGet(string id, [NotNullWhen(true)] out PaymentIntent? intent) => intents.TryGetValue(id, out intent);
}
