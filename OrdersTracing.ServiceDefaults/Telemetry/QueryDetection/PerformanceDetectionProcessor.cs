using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// Runs the detector family (<see cref="Detectors"/>, the same code the Trace doctor runs on a stored trace) over each
/// local root's spans when the root ends, and marks the root with what it found: one event per finding, the
/// <c>performance_issue.detected</c> mark the Collector's tail sampler keeps the trace for, a counter per kind and one
/// warning with the trace id. So a trace with an N+1 is kept, and can be found, without its database spans having to be
/// searched.
/// </summary>
/// <remarks>
/// As each span ends, what the detectors need of it (a <see cref="DetectedSpan"/>: ids, times, references to its name
/// and statement) goes into its root's list, read in one pass over its tags; nothing is allocated for it, and a
/// statement's shape comes from <see cref="StatementShapes"/>. The root ends after its children, so it is still open
/// to take the marks. A root keeps at most <see cref="QueryDetectionOptions.MaxSpansPerRoot"/> spans (Sentry also caps
/// a transaction's spans); and the table at most <see cref="QueryDetectionOptions.MaxTrackedTraces"/> roots.
/// </remarks>
internal sealed class PerformanceDetectionProcessor : BaseProcessor<Activity>
{
    private readonly QueryDetectionOptions options;
    private readonly ILogger logger;
    private readonly Counter<long> findings;
    private readonly Counter<long> nPlusOnes;
    private readonly DetectorFailureLog failures;
    private readonly TraceTable<RootState> roots;
    private string? service;

    // The root the last span belonged to: a request's spans end one after another, so most look-ups stop here. A root
    // that has ended is looked up again (its span may be followed anew, as a benchmark does); one that was dropped is
    // harmless here: its list is bounded and soon unreferenced.
    private RootState? lastRoot;

    public PerformanceDetectionProcessor(
        IOptions<QueryDetectionOptions> options,
        ILogger<PerformanceDetectionProcessor> logger,
        IMeterFactory meterFactory)
    {
        this.options = options.Value;
        this.logger = logger;
        findings = QueryDetectionTelemetry.CreateFindingCounter(meterFactory);
        nPlusOnes = QueryDetectionTelemetry.CreateNPlusOneCounter(meterFactory);
        failures = new DetectorFailureLog(logger, nameof(PerformanceDetectionProcessor));
        roots = new TraceTable<RootState>(this.options.MaxTrackedTraces, static root => new RootState(root));
    }

    /// <summary>How many roots are followed now; never more than <see cref="QueryDetectionOptions.MaxTrackedTraces"/>.</summary>
    internal int TrackedTraceCount => roots.Count;

    public override void OnStart(Activity activity)
    {
        if (!IsLocalRoot(activity))
        {
            return;
        }

        try
        {
            roots.Track(activity);
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
            if (activity.Parent is not null)
            {
                Add(activity);
            }
            else if (IsLocalRoot(activity))
            {
                EndRoot(activity);
            }
        }
        catch (Exception exception)
        {
            failures.Record(exception);
        }
    }

    /// <summary>
    /// Whether the span starts a request or a worker's iteration of its own: it has no parent span in this process, or
    /// only a remote one. A client or producer span made from the context of a span in this process is neither: the
    /// StackExchange.Redis instrumentation makes a command's span that way, on its drain thread once the span the command
    /// ran under has ended (every 10 s by default), so there is no root left to join, and following it alone would run
    /// the detectors over one span.
    /// </summary>
    private static bool IsLocalRoot(Activity activity) =>
        activity.Parent is null
        && (activity.Kind is not (ActivityKind.Client or ActivityKind.Producer) || activity.HasRemoteParent || activity.ParentSpanId == default);

    /// <summary>The hot path: every span of the service comes here.</summary>
    private void Add(Activity activity)
    {
        var localRoot = activity.LocalRoot();
        var root = Volatile.Read(ref lastRoot);
        if (root is null || !ReferenceEquals(root.Root, localRoot) || root.Spans is null)
        {
            if (!roots.TryGet(localRoot, out root))
            {
                return;
            }

            Volatile.Write(ref lastRoot, root);
        }

        var span = ActivitySpans.Read(activity);
        lock (root.Gate)
        {
            if (root.Spans is { } spans && spans.Count < options.MaxSpansPerRoot)
            {
                spans.Add(span);
            }
        }
    }

    private void EndRoot(Activity activity)
    {
        if (!roots.TryGet(activity, out var root))
        {
            return;
        }

        roots.Forget(root);
        List<DetectedSpan> spans;
        lock (root.Gate)
        {
            spans = root.Spans!;
            root.Spans = null;
        }

        try
        {
            var found = Detectors.Find(ServiceName(), ActivitySpans.Read(activity), spans, options);
            if (found.Count > 0)
            {
                Mark(activity, found);
            }
        }
        finally
        {
            SpanListPool.Return(spans);
        }
    }

    private void Mark(Activity root, IReadOnlyList<Finding> found)
    {
        root.SetTag(FindingEvents.Detected, true);
        root.SetTag(FindingEvents.Kinds, found.Select(finding => FindingEvents.Name(finding.Kind)).Distinct().ToArray());
        foreach (var finding in found)
        {
            root.AddEvent(new ActivityEvent(FindingEvents.EventName, tags: new ActivityTagsCollection(FindingEvents.Attributes(finding))));
            findings.Add(1, new KeyValuePair<string, object?>(QueryDetectionTelemetry.FindingKindTag, FindingEvents.Name(finding.Kind)));
        }

        // The worst N+1 also as the root's own attributes, which a trace backend searches without opening events.
        if (found.Where(finding => finding.Kind == FindingKind.NPlusOneDb).MaxBy(finding => finding.TotalDuration) is { } worst)
        {
            root.SetTag(TelemetryTags.NPlusOneDetected, true);
            root.SetTag(TelemetryTags.NPlusOneStatement, worst.Subject);
            root.SetTag(TelemetryTags.NPlusOneCount, worst.Count);
            root.SetTag(TelemetryTags.NPlusOneTotalDurationMs, worst.TotalDuration.TotalMilliseconds);
        }

        foreach (var nPlusOne in found.Where(finding => finding.Kind == FindingKind.NPlusOneDb))
        {
            nPlusOnes.Add(1, new KeyValuePair<string, object?>(TelemetryTags.DbQueryText, nPlusOne.Subject));
        }

        QueryDetectionTelemetry.PerformanceIssuesDetected(
            logger, root.TraceId.ToHexString(), found.Count,
            string.Join("; ", found.Select(finding => $"{Remedies.Title(finding.Kind)}: {finding.Count} × {finding.Subject}, {finding.TotalDuration.TotalMilliseconds} ms")));
    }

    private string ServiceName() =>
        service ??= ParentProvider?.GetResource().Attributes.FirstOrDefault(attribute => attribute.Key == "service.name").Value as string ?? "";

    /// <summary>One followed root; its gate guards its list, which is null once the root has ended.</summary>
    private sealed class RootState(Activity root) : TrackedTrace(root)
    {
        public Lock Gate { get; } = new();

        public List<DetectedSpan>? Spans { get; set; } = SpanListPool.Rent();
    }
}
