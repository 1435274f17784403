using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// Marks the local root span of a trace in which one parent span ran the same query again and again after another
/// query (an N+1: load the orders, then each order's items one by one), so that such traces can be searched for and
/// tail-sampled without the database spans themselves having to reach the backend.
/// </summary>
/// <remarks>
/// The rules are Sentry's N+1 DB span detector's (<c>n_plus_one_db_span_detector.py</c>), applied to spans as they end
/// instead of to a finished transaction:
/// <list type="bullet">
/// <item>under one parent span that is not itself a query, a "source" query is followed by at least
/// <see cref="QueryDetectionOptions.MinimumRepeatedQueries"/> queries with one normalised statement, different
/// from the source's;</item>
/// <item>they take at least <see cref="QueryDetectionOptions.MinimumTotalDuration"/> together (overlaps counted once);</item>
/// <item>the repeated statement contains a space (Sentry's guard against MongoDB and raw-query spans);</item>
/// <item>when a different query breaks a run, the run's last query becomes the next source.</item>
/// </list>
/// Where this differs from Sentry: Sentry walks the whole transaction in start order, so any non-query span breaks a
/// run, wherever it is; here runs are kept per parent and only a non-query child of the same parent breaks one, so
/// parallel branches of one request do not break each other's runs. Children are taken in the order they end, which is
/// their start order for queries awaited one after another. Sentry drops queries truncated with "..."; our
/// instrumentations do not truncate. One N+1 is reported once per trace and statement, as Sentry reports one per
/// fingerprint.
/// </remarks>
public sealed class NPlusOneDetectionProcessor : BaseProcessor<Activity>
{
    private readonly QueryDetectionOptions options;
    private readonly ILogger logger;
    private readonly Counter<long> detections;
    private readonly TraceTable traces;
    private int failureLogged;

    public NPlusOneDetectionProcessor(
        IOptions<QueryDetectionOptions> options,
        ILogger<NPlusOneDetectionProcessor> logger,
        IMeterFactory meterFactory)
    {
        this.options = options.Value;
        this.logger = logger;
        detections = QueryDetectionTelemetry.CreateMeter(meterFactory).CreateCounter<long>(
            QueryDetectionTelemetry.NPlusOneCounterName,
            unit: "{detection}",
            description: "N+1 query patterns found in traces, by normalised statement.");
        traces = new TraceTable(this.options.MaxTrackedTraces);
    }

    /// <summary>How many traces are followed now; never more than <see cref="QueryDetectionOptions.MaxTrackedTraces"/>.</summary>
    internal int TrackedTraceCount => traces.Count;

    public override void OnStart(Activity activity)
    {
        // The local root has no parent in this process (none at all, or a remote one). It ends after its children,
        // so it is still open, and can take tags, when they reveal an N+1.
        if (activity.Parent is not null)
        {
            return;
        }

        try
        {
            traces.Track(activity);
        }
        catch (Exception exception)
        {
            LogFailureOnce(exception);
        }
    }

    public override void OnEnd(Activity activity)
    {
        try
        {
            End(activity);
        }
        catch (Exception exception)
        {
            LogFailureOnce(exception);
        }
    }

    private void End(Activity activity)
    {
        var isQuery = QueryDetectionTelemetry.IsDatabaseSpan(activity, out var rawStatement);
        if (isQuery && rawStatement is null && activity.Parent is not null)
        {
            // A connection open: its time belongs to the query that waited for it, it does not break a run. One that is
            // a local root itself (a worker's connection, a reconnect) goes on, so that its trace is forgotten.
            return;
        }

        if (!traces.TryGet(LocalRoot(activity), out var trace))
        {
            return;
        }

        var isRoot = ReferenceEquals(activity, trace.Root);
        var parent = activity.Parent;
        string? statement = null;

        // Sentry's "potential parents" of a run are the spans that are not queries.
        if (isQuery && parent is not null && !QueryDetectionTelemetry.IsDatabaseSpan(parent))
        {
            statement = StatementShapes.Of(rawStatement!);
        }
        else if (parent is not null && trace.OpenRuns == 0)
        {
            // Nothing to break or complete: the common case for a span that is not a query, and no lock taken.
            return;
        }

        lock (trace.Gate)
        {
            if (statement is not null)
            {
                AddQuery(trace, activity, parent!, statement);
            }
            else if (!isQuery && parent is not null)
            {
                // A span that is not a query breaks its parent's run: the next query starts a new one.
                EndRun(trace, parent);
            }

            // A span that ends has seen all its children (a straggler that ends later starts a run of its own).
            EndRun(trace, activity);

            if (isRoot)
            {
                EndAllRuns(trace);
            }

            trace.OpenRuns = trace.Runs?.Count ?? 0;
        }

        if (parent is null)
        {
            traces.Forget(activity, trace);
        }
    }

    /// <summary>The ancestor without a parent in this process: a few field reads, where a trace id would be parsed and hashed.</summary>
    private static Activity LocalRoot(Activity activity)
    {
        while (activity.Parent is { } parent)
        {
            activity = parent;
        }

        return activity;
    }

    private void AddQuery(TraceState trace, Activity query, Activity parent, string statement)
    {
        trace.Runs ??= [];
        ref var run = ref CollectionsMarshal.GetValueRefOrAddDefault(trace.Runs, new SpanKey(parent), out _);

        if (run.Source is null)
        {
            run.Source = statement;
            return;
        }

        if (run.IsContinuedBy(statement))
        {
            run.Add(statement, query);
            return;
        }

        var previous = run.Count > 0 ? run.Repeated : null;
        ReportIfNPlusOne(trace, ref run);
        run = new Run { Source = previous };
        if (run.IsContinuedBy(statement))
        {
            run.Add(statement, query);
        }
        else
        {
            run.Source = statement;
        }
    }

    private void EndRun(TraceState trace, Activity parent)
    {
        if (trace.Runs is null || !trace.Runs.Remove(new SpanKey(parent), out var run))
        {
            return;
        }

        ReportIfNPlusOne(trace, ref run);
    }

    private void EndAllRuns(TraceState trace)
    {
        if (trace.Runs is null)
        {
            return;
        }

        foreach (var parent in trace.Runs.Keys.ToArray())
        {
            EndRun(trace, parent.Span);
        }
    }

    private void ReportIfNPlusOne(TraceState trace, ref Run run)
    {
        if (run.Source is null || run.Repeated is null || run.Count < options.MinimumRepeatedQueries)
        {
            return;
        }

        if (run.TotalDuration < options.MinimumTotalDuration || !run.Repeated.Contains(' '))
        {
            return;
        }

        trace.Reported ??= new HashSet<string>(StringComparer.Ordinal);
        if (!trace.Reported.Add(run.Repeated))
        {
            return;
        }

        var root = trace.Root;
        var totalDurationMs = run.TotalDuration.TotalMilliseconds;

        // The root carries the worst N+1 of its trace; each one is an event.
        if (run.TotalDuration > trace.WorstTotalDuration)
        {
            trace.WorstTotalDuration = run.TotalDuration;
            root.SetTag(TelemetryTags.NPlusOneDetected, true);
            root.SetTag(TelemetryTags.NPlusOneStatement, run.Repeated);
            root.SetTag(TelemetryTags.NPlusOneCount, run.Count);
            root.SetTag(TelemetryTags.NPlusOneTotalDurationMs, totalDurationMs);
        }

        root.AddEvent(new ActivityEvent(QueryDetectionTelemetry.NPlusOneEventName, tags: new ActivityTagsCollection
        {
            [TelemetryTags.NPlusOneDetected] = true,
            [TelemetryTags.NPlusOneStatement] = run.Repeated,
            [TelemetryTags.NPlusOneCount] = run.Count,
            [TelemetryTags.NPlusOneTotalDurationMs] = totalDurationMs,
        }));
        detections.Add(1, new KeyValuePair<string, object?>(TelemetryTags.DbQueryText, run.Repeated));
        QueryDetectionTelemetry.NPlusOneDetected(logger, root.TraceId.ToHexString(), run.Count, run.Repeated, totalDurationMs);
    }

    private void LogFailureOnce(Exception exception)
    {
        // The processor runs inside the application's own Activity.Start and Stop: its failure must never become theirs.
        if (Interlocked.Exchange(ref failureLogged, 1) == 0)
        {
            QueryDetectionTelemetry.ProcessorFailed(logger, nameof(NPlusOneDetectionProcessor), exception);
        }
    }

    /// <summary>The queries one parent span has run so far: the source, then the run of one repeated statement.</summary>
    private struct Run
    {
        public string? Source;
        public string? Repeated;
        public int Count;
        public TimeSpan TotalDuration;
        private DateTime coveredUntil;

        public readonly bool IsContinuedBy(string statement) =>
            Source is not null
            && statement.Length > 0
            && !string.Equals(statement, Source, StringComparison.Ordinal)
            && (Repeated is null || string.Equals(statement, Repeated, StringComparison.Ordinal));

        /// <summary>Adds a query's time once, however much it overlaps the previous ones, as Sentry's <c>total_span_time</c>.</summary>
        public void Add(string statement, Activity query)
        {
            var start = query.StartTimeUtc;
            var end = start + query.Duration;
            Repeated ??= statement;
            Count++;
            if (end > coveredUntil)
            {
                TotalDuration += end - (start > coveredUntil ? start : coveredUntil);
                coveredUntil = end;
            }
        }
    }

    /// <summary>One followed trace; its gate guards its runs.</summary>
    private sealed class TraceState(Activity root)
    {
        private int openRuns;

        public Lock Gate { get; } = new();

        public Activity Root { get; } = root;

        /// <summary>The runs under way, by their parent span.</summary>
        public Dictionary<SpanKey, Run>? Runs { get; set; }

        /// <summary>How many runs are under way, written under the gate and read without it, to skip the gate when none is.</summary>
        public int OpenRuns
        {
            get => Volatile.Read(ref openRuns);
            set => Volatile.Write(ref openRuns, value);
        }

        public HashSet<string>? Reported { get; set; }

        public TimeSpan WorstTotalDuration { get; set; }

        /// <summary>Further local roots of the trace (the service called twice in one trace), which report to this one.</summary>
        public List<Activity>? OtherRoots { get; set; }

        // Links of the table's list, oldest first, under the table's lock.
        public TraceState? Older { get; set; }

        public TraceState? Newer { get; set; }
    }

    /// <summary>
    /// The followed traces, at most <c>capacity</c> of them, the oldest dropped first. Every span looks its trace up by
    /// its local root, by reference and without a lock; only a new root looks by trace id, to join a trace already
    /// followed. Adding and removing take the lock, to keep the age list and the count exact.
    /// </summary>
    private sealed class TraceTable(int capacity)
    {
        private readonly ConcurrentDictionary<SpanKey, TraceState> byRoot = new();
        private readonly Dictionary<ActivityTraceId, TraceState> byId = [];
        private readonly Lock gate = new();
        private TraceState? oldest;
        private TraceState? newest;
        private int count;

        public int Count => Volatile.Read(ref count);

        public bool TryGet(Activity root, [MaybeNullWhen(false)] out TraceState trace) =>
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

                var trace = new TraceState(root) { Older = newest };
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
        public void Forget(Activity root, TraceState trace)
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

        private void Remove(TraceState trace)
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

    /// <summary>
    /// A span as a dictionary key, by reference: no span id to parse or hash, and, as a struct with its own equality,
    /// no comparer to call through an interface.
    /// </summary>
    private readonly struct SpanKey(Activity span) : IEquatable<SpanKey>
    {
        public Activity Span { get; } = span;

        public bool Equals(SpanKey other) => ReferenceEquals(Span, other.Span);

        public override bool Equals(object? obj) => obj is SpanKey other && Equals(other);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(Span);
    }
}
