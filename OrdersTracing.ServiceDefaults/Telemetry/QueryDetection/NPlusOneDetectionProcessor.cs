using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.TraceAnalysis;

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
        var isQuery = QueryDetectionTelemetry.IsDatabaseSpan(activity);
        if (isQuery && QueryDetectionTelemetry.StatementOf(activity) is null)
        {
            // A connection open: its time belongs to the query that waited for it, it does not break a run.
            return;
        }

        if (!traces.TryGet(activity.TraceId, out var trace))
        {
            return;
        }

        var isRoot = ReferenceEquals(activity, trace.Root);
        string? statement = null;

        // Sentry's "potential parents" of a run are the spans that are not queries.
        if (isQuery && activity.Parent is { } parent && !QueryDetectionTelemetry.IsDatabaseSpan(parent))
        {
            statement = SqlNormalizer.Normalize(QueryDetectionTelemetry.StatementOf(activity));
        }
        else if (trace.Runs is null && !isRoot)
        {
            return;
        }

        lock (trace)
        {
            if (statement is not null)
            {
                AddQuery(trace, activity, statement);
            }
            else if (!isQuery && activity.Parent is not null)
            {
                BreakRun(trace, activity.ParentSpanId);
            }

            // A span that ends has seen all its children (a straggler that ends later starts a run of its own).
            CompleteRun(trace, activity.SpanId);

            if (isRoot)
            {
                CompleteAllRuns(trace);
            }
        }

        if (isRoot)
        {
            traces.Forget(trace);
        }
    }

    private void AddQuery(TraceState trace, Activity query, string statement)
    {
        trace.Runs ??= [];
        ref var run = ref CollectionsMarshal.GetValueRefOrAddDefault(trace.Runs, query.ParentSpanId, out _);

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

    private void BreakRun(TraceState trace, ActivitySpanId parentSpanId)
    {
        if (trace.Runs is null)
        {
            return;
        }

        ref var run = ref CollectionsMarshal.GetValueRefOrNullRef(trace.Runs, parentSpanId);
        if (Unsafe.IsNullRef(ref run))
        {
            return;
        }

        ReportIfNPlusOne(trace, ref run);
        run = default;
    }

    private void CompleteRun(TraceState trace, ActivitySpanId parentSpanId)
    {
        if (trace.Runs is null || !trace.Runs.Remove(parentSpanId, out var run))
        {
            return;
        }

        ReportIfNPlusOne(trace, ref run);
    }

    private void CompleteAllRuns(TraceState trace)
    {
        if (trace.Runs is null)
        {
            return;
        }

        foreach (var parentSpanId in trace.Runs.Keys.ToArray())
        {
            CompleteRun(trace, parentSpanId);
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

    /// <summary>One followed trace; its lock guards its runs.</summary>
    private sealed class TraceState(Activity root)
    {
        public Activity Root { get; } = root;

        public Dictionary<ActivitySpanId, Run>? Runs { get; set; }

        public HashSet<string>? Reported { get; set; }

        public TimeSpan WorstTotalDuration { get; set; }

        // Links of the table's list, oldest first, under the table's lock.
        public TraceState? Older { get; set; }

        public TraceState? Newer { get; set; }
    }

    /// <summary>
    /// The followed traces by id, at most <c>capacity</c> of them, the oldest dropped first. Lookups take no lock;
    /// adding and removing do, to keep the age list and the count exact.
    /// </summary>
    private sealed class TraceTable(int capacity)
    {
        private readonly ConcurrentDictionary<ActivityTraceId, TraceState> byId = new();
        private readonly Lock gate = new();
        private TraceState? oldest;
        private TraceState? newest;
        private int count;

        public int Count => Volatile.Read(ref count);

        public bool TryGet(ActivityTraceId traceId, [MaybeNullWhen(false)] out TraceState trace) =>
            byId.TryGetValue(traceId, out trace);

        public void Track(Activity root)
        {
            lock (gate)
            {
                // A second local root of a followed trace (the service called twice in one trace) reports to the first.
                if (byId.ContainsKey(root.TraceId))
                {
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
                count++;
            }
        }

        public void Forget(TraceState trace)
        {
            lock (gate)
            {
                if (byId.TryGetValue(trace.Root.TraceId, out var tracked) && ReferenceEquals(tracked, trace))
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
            byId.TryRemove(trace.Root.TraceId, out _);
            count--;
        }
    }
}
