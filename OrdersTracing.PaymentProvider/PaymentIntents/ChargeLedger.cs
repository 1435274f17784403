namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// What the stand-in did per idempotency key: how many requests came and how many of them charged the card. It is how
/// a test, or an operator, proves that retries and restarts never charge an order twice (<c>GET /test/charges/{key}</c>).
/// </summary>
public sealed class ChargeLedger
{
    // Bounded like the idempotency window: a key older than the provider's memory is not tracked.
    private readonly BoundedTable<Entry> entries = new(maxKeys: 10_000);

    /// <summary>Counts a request for <paramref name="key"/>; returns which attempt it is (1 for the first).</summary>
    public int Requested(string key)
    {
        var entry = entries.GetOrAdd(key, () => new Entry());
        return Interlocked.Increment(ref entry.Requests);
    }

    public void Charged(string key) => Interlocked.Increment(ref entries.GetOrAdd(key, () => new Entry()).Charges);

    public KeyCharges Get(string key) =>
        entries.TryGetValue(key, out var entry) ? new KeyCharges(key, entry.Requests, entry.Charges) : new KeyCharges(key, 0, 0);

    private sealed class Entry
    {
        public int Requests;
        public int Charges;
    }
}

public sealed record KeyCharges(string Key, int Requests, int Charges);
