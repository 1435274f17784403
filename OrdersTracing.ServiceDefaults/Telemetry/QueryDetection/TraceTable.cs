using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// The traces a detector follows, at most <c>capacity</c> of them, the oldest dropped first, so that a flood of requests
/// (or roots that never end) cannot grow memory without bound. Every span looks its trace up by its local root, by
/// reference and without a lock: a few field reads, where a trace id would be parsed and hashed; only a new root looks
/// by trace id, to join a trace already followed. Adding and removing take the lock, to keep the age list and the count
/// exact.
/// </summary>
/// <typeparam name="TTrace">What the detector keeps about one trace; <paramref name="create"/> makes it for a new root.</typeparam>
internal sealed class TraceTable<TTrace>(int capacity, Func<Activity, TTrace> create)
    where TTrace : TrackedTrace
{
    private readonly ConcurrentDictionary<SpanKey, TTrace> byRoot = new();
    private readonly Dictionary<ActivityTraceId, TTrace> byId = [];
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
            // A second local root of a followed trace (the service called twice in one trace) reports to the first.
            if (byId.TryGetValue(root.TraceId, out var followed))
            {
                (followed.OtherRoots ??= []).Add(root);
                byRoot[new SpanKey(root)] = followed;
                return;
            }

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
            byId[root.TraceId] = trace;
            byRoot[new SpanKey(root)] = trace;
            count++;
        }
    }

    /// <summary>Forgets a local root that ended: the whole trace if it is the trace's first root.</summary>
    public void Forget(Activity root, TTrace trace)
    {
        lock (gate)
        {
            if (!ReferenceEquals(root, trace.Root))
            {
                if (trace.OtherRoots?.Remove(root) == true)
                {
                    byRoot.TryRemove(new SpanKey(root), out _);
                }

                return;
            }

            if (byId.TryGetValue(root.TraceId, out var tracked) && ReferenceEquals(tracked, trace))
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
        byId.Remove(trace.Root.TraceId);
        byRoot.TryRemove(new SpanKey(trace.Root), out _);
        foreach (var other in trace.OtherRoots ?? [])
        {
            byRoot.TryRemove(new SpanKey(other), out _);
        }

        count--;
    }
}

/// <summary>One trace in a <see cref="TraceTable{TTrace}"/>: its first local root, and what the table needs to follow it.</summary>
internal abstract class TrackedTrace(Activity root)
{
    public Activity Root { get; } = root;

    // The rest belongs to the table and changes only under its lock.

    /// <summary>Further local roots of the trace (the service called twice in one trace), which report to this one.</summary>
    public List<Activity>? OtherRoots { get; set; }

    // Its neighbours in the table's age list.
    public TrackedTrace? Older { get; set; }

    public TrackedTrace? Newer { get; set; }
}
