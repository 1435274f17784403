using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// The local roots a detector follows, at most <c>capacity</c> of them, the oldest dropped first, so that a flood of
/// requests (or roots that never end) cannot grow memory without bound. Every span looks its root up by reference and
/// without a lock: a few field reads, where a trace id would be parsed and hashed. Adding and removing take the lock,
/// to keep the age list and the count exact.
/// </summary>
/// <remarks>
/// Each local root is followed on its own, even when a trace comes through the service twice: the stored-trace analysis
/// splits a trace into the same local roots, so that both find the same.
/// </remarks>
/// <typeparam name="TTrace">What the detector keeps about one root; <paramref name="create"/> makes it.</typeparam>
internal sealed class TraceTable<TTrace>(int capacity, Func<Activity, TTrace> create)
    where TTrace : TrackedTrace
{
    private readonly ConcurrentDictionary<SpanKey, TTrace> byRoot = new();
    private readonly Lock gate = new();
    private TrackedTrace? oldest;
    private TrackedTrace? newest;
    private int count;

    public int Count => Volatile.Read(ref count);

    public bool TryGet(Activity root, [MaybeNullWhen(false)] out TTrace trace) =>
        byRoot.TryGetValue(new SpanKey(root), out trace);

    public void Track(Activity root)
    {
        lock (gate)
        {
            if (count >= capacity && oldest is not null)
            {
                Remove(oldest);
            }

            var trace = create(root);
            trace.Older = newest;
            if (newest is null)
            {
                oldest = trace;
            }
            else
            {
                newest.Newer = trace;
            }

            newest = trace;
            byRoot[new SpanKey(root)] = trace;
            count++;
        }
    }

    /// <summary>Forgets a root that ended.</summary>
    public void Forget(TTrace trace)
    {
        lock (gate)
        {
            if (byRoot.TryGetValue(new SpanKey(trace.Root), out var tracked) && ReferenceEquals(tracked, trace))
            {
                Remove(trace);
            }
        }
    }

    private void Remove(TrackedTrace trace)
    {
        if (trace.Older is null)
        {
            oldest = trace.Newer;
        }
        else
        {
            trace.Older.Newer = trace.Newer;
        }

        if (trace.Newer is null)
        {
            newest = trace.Older;
        }
        else
        {
            trace.Newer.Older = trace.Older;
        }

        trace.Older = null;
        trace.Newer = null;
        byRoot.TryRemove(new SpanKey(trace.Root), out _);
        count--;
    }
}

/// <summary>One local root in a <see cref="TraceTable{TTrace}"/>, and what the table needs to follow it.</summary>
internal abstract class TrackedTrace(Activity root)
{
    public Activity Root { get; } = root;

    // Its neighbours in the table's age list, which change only under the table's lock.
    public TrackedTrace? Older { get; set; }

    public TrackedTrace? Newer { get; set; }
}
