using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// The first answer per idempotency key, so that a retried request gets the payment intent it already paid for instead
/// of a second charge.
/// </summary>
public sealed class IdempotencyStore
{
    // Bounded like a real provider's idempotency window: the oldest keys go first.
    private const int MaxRememberedKeys = 10_000;

    private readonly ConcurrentDictionary<string, PaymentIntent> intents = new();
    private readonly ConcurrentQueue<string> order = new();

    public bool TryGet(string key, [NotNullWhen(true)] out PaymentIntent? intent) =>
        intents.TryGetValue(key, out intent);

    /// <summary>
    /// Keeps <paramref name="intent"/> as the answer for <paramref name="key"/>, unless a concurrent request with the
    /// same key got there first: then <paramref name="remembered"/> is that request's intent, and false is returned.
    /// </summary>
    public bool TryRemember(string key, PaymentIntent intent, out PaymentIntent remembered)
    {
        if (!intents.TryAdd(key, intent))
        {
            remembered = intents[key];
            return false;
        }

        order.Enqueue(key);
        while (order.Count > MaxRememberedKeys && order.TryDequeue(out var oldest))
        {
            intents.TryRemove(oldest, out _);
        }

        remembered = intent;
        return true;
    }
}
