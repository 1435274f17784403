using System.Collections.Concurrent;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// What the stand-in did per idempotency key: how many requests came and how many of them charged the card. It is how
/// a test, or an operator, proves that retries and restarts never charge an order twice (<c>GET /test/charges/{key}</c>).
/// </summary>
public sealed class ChargeLedger
{
    // Bounded like the idempotency window: a key older than the provider's memory is not tracked.
    private const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new();
    private readonly ConcurrentQueue<string> order = new();

    /// <summary>Counts a request for <paramref name="key"/>; returns which attempt it is (1 for the first).</summary>
    public int Requested(string key)
    {
        var entry = entries.GetOrAdd(key, NewEntry);
        return Interlocked.Increment(ref entry.Requests);
    }

    public void Charged(string key) => Interlocked.Increment(ref entries.GetOrAdd(key, NewEntry).Charges);

    public KeyCharges Get(string key) =>
        entries.TryGetValue(key, out var entry) ? new KeyCharges(key, entry.Requests, entry.Charges) : new KeyCharges(key, 0, 0);

    private Entry NewEntry(string key)
    {
        order.Enqueue(key);
        while (order.Count > MaxKeys && order.TryDequeue(out var oldest))
        {
            entries.TryRemove(oldest, out _);
        }

        return new Entry();
    }

    private sealed class Entry
    {
        public int Requests;
        public int Charges;
    }
}

public sealed record KeyCharges(string Key, int Requests, int Charges);
