using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// A thread-safe table that forgets its oldest keys beyond <paramref name="maxKeys"/>, as a real provider's
/// idempotency window does, so that memory stays bounded however many keys arrive.
/// </summary>
internal sealed class BoundedTable<TValue>(int maxKeys)
    where TValue : class
{
    private readonly ConcurrentDictionary<string, TValue> entries = new();
    private readonly ConcurrentQueue<string> order = new();

    public bool TryGetValue(string key, [NotNullWhen(true)] out TValue? value) => entries.TryGetValue(key, out value);

    public TValue GetOrAdd(string key, Func<TValue> create) =>
        entries.GetOrAdd(key, newKey =>
        {
            Remember(newKey);
            return create();
        });

    /// <summary>Adds <paramref name="value"/> unless the key is there already; then <paramref name="current"/> is what is there.</summary>
    public bool TryAdd(string key, TValue value, out TValue current)
    {
        if (!entries.TryAdd(key, value))
        {
            current = entries[key];
            return false;
        }

        Remember(key);
        current = value;
        return true;
    }

    private void Remember(string key)
    {
        order.Enqueue(key);
        while (order.Count > maxKeys && order.TryDequeue(out var oldest))
        {
            entries.TryRemove(oldest, out _);
        }
    }
}
