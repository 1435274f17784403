using System.Diagnostics;
using System.Diagnostics.Metrics;
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
internal sealed class NPlusOneDetectionProcessor : BaseProcessor<Activity>
{
    private readonly QueryDetectionOptions options;
    private readonly ILogger logger;
    private readonly Counter<long> detections;
    private readonly DetectorFailureLog failures;
    private readonly TraceTable<TraceState> traces;

    public NPlusOneDetectionProcessor(
        IOptions<QueryDetectionOptions> options,
        ILogger<NPlusOneDetectionProcessor> logger,
        IMeterFactory meterFactory)
    {
        this.options = options.Value;
        this.logger = logger;
        detections = QueryDetectionTelemetry.CreateNPlusOneCounter(meterFactory);
        failures = new DetectorFailureLog(logger, nameof(NPlusOneDetectionProcessor));
        traces = new TraceTable<TraceState>(this.options.MaxTrackedTraces, static root => new TraceState(root));
    }

    /// <summary>How many traces are followed now; never more than <see cref="QueryDetectionOptions.MaxTrackedTraces"/>.</summary>
    internal int TrackedTraceCount => traces.Count;

    public override void OnStart(Activity activity)
    {
        // Only a local root is tracked: it ends after its children, so it is still open, and can take tags, when they
        // reveal an N+1.
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
            failures.Record(exception);
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
            failures.Record(exception);
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

        if (!traces.TryGet(activity.LocalRoot(), out var trace))
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
    private sealed class TraceState(Activity root) : TrackedTrace(root)
    {
        private int openRuns;

        public Lock Gate { get; } = new();

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
    }
}
