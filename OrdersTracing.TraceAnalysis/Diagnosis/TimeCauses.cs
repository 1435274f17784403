namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Time charged to the deepest span where it was spent: each span's own time on the critical path (what no child
/// explains), classified by what the span is, summed per cause and kept where it passes the thresholds.
/// </summary>
internal static class TimeCauses
{
    private static readonly string[] LockingStatements = ["UPDATE", "DELETE", "MERGE"];

    public static List<RootCause> Find(TraceAnalysisContext analysis, DiagnosisThresholds thresholds)
    {
        var slowRead = analysis.Spans.Any(span => span.IsStatement() && !IsLockingWrite(span) && span.Duration >= thresholds.MinimumStatementTime);
        var charged = new Dictionary<(CauseKind Kind, string Key), List<(TraceSpan Span, TimeSpan Time, TraceSpan Culprit)>>();
        foreach (var span in analysis.Spans)
        {
            var time = analysis.Unexplained(span);
            if (time <= TimeSpan.Zero)
            {
                continue;
            }

            var (kind, key, culprit) = Classify(span, analysis, slowRead);
            (charged.TryGetValue((kind, key), out var list) ? list : charged[(kind, key)] = []).Add((span, time, culprit));
        }

        var causes = new List<RootCause>();
        foreach (var ((kind, _), items) in charged)
        {
            var cost = items.Aggregate(TimeSpan.Zero, (sum, item) => sum + item.Time);
            if (cost < Minimum(kind, thresholds) || analysis.Share(cost) < thresholds.MinimumShare)
            {
                continue;
            }

            var worst = items.MaxBy(item => item.Time);
            var culprit = worst.Culprit;
            var evidence = items.OrderByDescending(item => item.Time).Select(item => item.Span.SpanId).Prepend(culprit.SpanId).Distinct().ToList();
            causes.Add(new RootCause(kind, culprit.Service, culprit.SpanId, culprit.Name, evidence, cost, analysis.Share(cost),
                Explain(kind, items, cost, culprit, analysis))
            {
                Remedy = CauseRemedies.For(kind),
            });
        }

        return causes;
    }

    /// <summary>
    /// A called service whose own work is not traced (a provider, a stand-in): its server span has no children of its
    /// own service but the calls it makes, so its time is the dependency's, not work to instrument.
    /// </summary>
    internal static bool IsBlackBox(TraceSpan server, TraceAnalysisContext analysis) =>
        server.Kind == TraceSpanKind.Server
        && analysis.Parent(server) is { } caller && caller.Service != server.Service
        && analysis.Children(server).All(child => child.Service != server.Service || (child.Kind == TraceSpanKind.Client && child.IsHttp()));

    private static (CauseKind Kind, string Key, TraceSpan Culprit) Classify(TraceSpan span, TraceAnalysisContext analysis, bool slowRead)
    {
        var localRoot = analysis.LocalRoot(span);
        var cold = localRoot[DiagnosisSignals.ColdStart] == "true";
        if (span.Name == DiagnosisSignals.ConnectionOpenSpan || (span.IsDatabase() && !span.IsStatement() && !span.IsCache()))
        {
            // The first connections of a fresh process are opened, not waited for: start-up.
            return cold ? (CauseKind.ColdStart, localRoot.SpanId, localRoot) : (CauseKind.ConnectionPoolWait, span.Service, span);
        }

        if (span.IsStatement())
        {
            var kind = IsLockingWrite(span) && !slowRead ? CauseKind.LockWait : CauseKind.SlowQuery;
            return (kind, SqlNormalizer.Normalize(span.Statement()), span);
        }

        if (span.IsCache() || span.Kind == TraceSpanKind.Client)
        {
            return (CauseKind.SlowDependency, $"{span.Service} {span[SpanAttributes.ServerAddress] ?? span.Name}", span);
        }

        if (IsBlackBox(localRoot, analysis))
        {
            return (CauseKind.SlowDependency, localRoot.Service, localRoot);
        }

        return cold ? (CauseKind.ColdStart, localRoot.SpanId, localRoot) : (CauseKind.UninstrumentedWork, span.SpanId, span);
    }

    private static bool IsLockingWrite(TraceSpan span) =>
        span.Statement() is { } statement
        && (LockingStatements.Any(verb => statement.TrimStart().StartsWith(verb, StringComparison.OrdinalIgnoreCase))
            || statement.Contains("FOR UPDATE", StringComparison.OrdinalIgnoreCase));

    private static TimeSpan Minimum(CauseKind kind, DiagnosisThresholds thresholds) => kind switch
    {
        CauseKind.SlowQuery or CauseKind.LockWait => thresholds.MinimumStatementTime,
        CauseKind.SlowDependency => thresholds.MinimumDependencyTime,
        _ => thresholds.MinimumOwnTime,
    };

    private static string Explain(CauseKind kind, List<(TraceSpan Span, TimeSpan Time, TraceSpan Culprit)> items, TimeSpan cost, TraceSpan culprit, TraceAnalysisContext analysis)
    {
        var time = Diagnoser.Milliseconds(cost);
        var runs = items.Count == 1 ? "" : $" in {items.Count} runs";
        return kind switch
        {
            CauseKind.SlowQuery => $"{SqlNormalizer.Normalize(culprit.Statement())} took {time}{runs}",
            CauseKind.LockWait => $"{SqlNormalizer.Normalize(culprit.Statement())} waited {time}{runs} while the reads were fast: a lock held by another transaction",
            CauseKind.ConnectionPoolWait => $"{time} waiting to open a connection"
                + (culprit[DiagnosisSignals.ConnectionPoolName] is { } pool ? $" from pool {pool}" : ""),
            CauseKind.SlowDependency when analysis.Children(culprit).Any(child => child.Kind == TraceSpanKind.Server) =>
                $"{time} of {culprit.Name} outside the called service (connecting, sending)",
            CauseKind.SlowDependency when culprit.Kind == TraceSpanKind.Client || culprit.IsCache() =>
                $"{time} waiting for {culprit[SpanAttributes.ServerAddress] ?? culprit.Name}, whose own work the trace does not show",
            CauseKind.SlowDependency => $"{culprit.Service} spent {time} itself answering {culprit.Name}",
            CauseKind.ColdStart => $"{time} of own time in the first {culprit.Name} since {culprit.Service} started (start-up, JIT, first model build)",
            _ => $"{time} of {culprit.Name}'s own time under no child span: work the trace does not show",
        };
    }
}
