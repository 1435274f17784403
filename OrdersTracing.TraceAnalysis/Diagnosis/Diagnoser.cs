using System.Globalization;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Names a trace's root causes, most important first: errors at their origin, then time charged to the deepest span
/// where it was spent on the critical path. docs/trace-intelligence.md ("Diagnosis") states the rules.
/// </summary>
public static class Diagnoser
{
    /// <summary>The root causes of one trace, most important first; none for a healthy trace.</summary>
    public static IReadOnlyList<RootCause> Diagnose(IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null) =>
        Diagnose(trace, thresholds, DiagnosisThresholds.Default);

    /// <summary>The root causes of one trace at the given thresholds, most important first.</summary>
    public static IReadOnlyList<RootCause> Diagnose(IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds, DiagnosisThresholds diagnosis)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(diagnosis);
        if (trace.Count == 0)
        {
            return [];
        }

        var analysis = new TraceAnalysisContext(CriticalPath.Compute(trace));
        var errors = ErrorCauses.Find(analysis);
        var time = TimeCauses.Find(analysis, diagnosis);
        var detected = Detected(analysis, trace, thresholds, diagnosis, time);

        return
        [
            .. errors.OrderBy(cause => cause.Start).Select(cause => cause.Cause),
            .. time.Concat(detected).OrderByDescending(cause => cause.CriticalPathCost),
        ];
    }

    /// <summary>
    /// The causes common to a set of traces of one route, most traces first: each cause as the trace where it cost the
    /// most names it, its explanation saying in how many of the traces it was found.
    /// </summary>
    public static IReadOnlyList<RootCause> DiagnoseRoute(
        IReadOnlyList<IReadOnlyList<TraceSpan>> traces, DetectionThresholds? thresholds = null, DiagnosisThresholds? diagnosis = null)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var causes = traces.Select(trace => Diagnose(trace, thresholds, diagnosis ?? DiagnosisThresholds.Default)).ToList();
        return
        [
            .. causes
                .SelectMany(found => found.Select((cause, rank) => (Cause: cause, Rank: rank)))
                .GroupBy(found => (found.Cause.Kind, found.Cause.Service, found.Cause.SpanName))
                .OrderByDescending(group => group.Count())
                .ThenBy(group => group.Average(found => found.Rank))
                .Select(group =>
                {
                    var worst = group.MaxBy(found => found.Cause.CriticalPathCost).Cause;
                    return worst with
                    {
                        CriticalPathCost = TimeSpan.FromTicks((long)group.Average(found => found.Cause.CriticalPathCost.Ticks)),
                        ShareOfRequest = group.Average(found => found.Cause.ShareOfRequest),
                        Explanation = $"in {group.Count()} of {traces.Count} traces; the worst: {worst.Explanation}",
                    };
                }),
        ];
    }

    /// <summary>
    /// The detectors' findings, each ranked by what its evidence held on the critical path; their own thresholds decide
    /// what a finding is, except for a large payload (below). A slow-query finding is
    /// the evidence of the slow query the time rules found, not a second cause; a time cause wholly inside another
    /// finding's evidence (an N+1's repeated statement, each slow) is that finding.
    /// </summary>
    private static List<RootCause> Detected(
        TraceAnalysisContext analysis, IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds, DiagnosisThresholds diagnosis, List<RootCause> time)
    {
        var detected = new List<RootCause>();
        foreach (var finding in StoredTraceDetection.Find(trace, thresholds))
        {
            if (!finding.EvidenceSpanIds.All(analysis.InRequest))
            {
                continue;
            }

            var evidence = finding.EvidenceSpanIds.ToHashSet();
            if (finding.Kind == FindingKind.SlowDbQuery && time.FindIndex(cause => cause.Kind is CauseKind.SlowQuery or CauseKind.LockWait && cause.EvidenceSpanIds.Any(evidence.Contains)) is var slow and >= 0)
            {
                time[slow] = time[slow] with { Finding = finding };
                continue;
            }

            var cost = finding.EvidenceSpanIds.Aggregate(TimeSpan.Zero, (sum, id) => sum + analysis.OnPath(id));
            // A finding none of whose evidence is on the critical path cost this request nothing (a slow statement in a
            // webhook the provider sent while the request waited): it stays among the detector findings, not the causes.
            if (cost <= TimeSpan.Zero)
            {
                continue;
            }


            // A large payload's evidence is the service's own span: it costs the request the time spent writing it, its
            // own time, so it is a cause only where that passes the own-time thresholds, and it explains no other cause.
            if (finding.Kind == FindingKind.LargeHttpPayload)
            {
                if (cost < diagnosis.MinimumOwnTime || analysis.Share(cost) < diagnosis.MinimumShare)
                {
                    continue;
                }
            }
            else
            {
                time.RemoveAll(cause => cause.EvidenceSpanIds.All(evidence.Contains));
            }

            var culprit = analysis.Span(finding.ParentSpanId ?? finding.EvidenceSpanIds[0]) ?? analysis.Span(finding.EvidenceSpanIds[0])!;
            detected.Add(new RootCause(CauseKind.Detected, culprit.Service, culprit.SpanId, culprit.Name, finding.EvidenceSpanIds, cost,
                analysis.Share(cost), $"{Remedies.Title(finding.Kind)}: {finding.Count} × {finding.Subject}, {Milliseconds(finding.TotalDuration)}")
            {
                Finding = finding with { CriticalPathCost = cost },
                Remedy = finding.Remedy,
            });
        }

        return detected;
    }

    internal static string Milliseconds(TimeSpan duration) =>
        duration.TotalMilliseconds.ToString(duration.TotalMilliseconds < 10 ? "0.0" : "#,0", CultureInfo.InvariantCulture) + " ms";
}
