namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// One root cause of a trace's time or error, as the Trace doctor's diagnosis names it: the culprit span where the
/// time was spent (its self time on the critical path) or where the error first happened, with the evidence.
/// </summary>
/// <param name="Kind">What the cause is.</param>
/// <param name="Service">The culprit span's service.</param>
/// <param name="SpanId">The culprit span, lowercase hex.</param>
/// <param name="SpanName">The culprit span's name, as a person reads it in the waterfall.</param>
/// <param name="EvidenceSpanIds">The spans that show it (the culprit first), lowercase hex.</param>
/// <param name="CriticalPathCost">The time the cause held the request on the critical path; zero for an error that cost no time.</param>
/// <param name="ShareOfRequest"><paramref name="CriticalPathCost"/> as a share of the analysed request, 0 to 1.</param>
/// <param name="Explanation">What the evidence is, in a few words ("3 attempts, 2 answered 500").</param>
public sealed record RootCause(
    CauseKind Kind,
    string Service,
    string SpanId,
    string SpanName,
    IReadOnlyList<string> EvidenceSpanIds,
    TimeSpan CriticalPathCost,
    double ShareOfRequest,
    string Explanation)
{
    /// <summary>The detector finding the cause comes from, where a detector made it.</summary>
    public Finding? Finding { get; init; }

    /// <summary>Whether the cause made the request fail (or report an error), not only take time.</summary>
    public bool IsError { get; init; }

    /// <summary>What to do; null where no advice fits the evidence, since no advice is better than wrong advice.</summary>
    public string? Remedy { get; init; }
}

/// <summary>The kinds of root cause the diagnosis tells apart; docs/diagnosis.md maps the fault catalogue onto them.</summary>
public enum CauseKind
{
    /// <summary>A called service or dependency spent the time itself (its own span's self time).</summary>
    SlowDependency,

    /// <summary>Calls to a dependency failed and were retried; the time is the failed attempts and the backoff.</summary>
    DependencyErrors,

    /// <summary>An attempt was cut by the caller's timeout.</summary>
    DependencyTimeout,

    /// <summary>The dependency could not be reached (connection refused, no server span under the call).</summary>
    DependencyUnreachable,

    /// <summary>
    /// The call was never sent: the caller's circuit breaker was open after earlier failures of the dependency, which
    /// are in the traces before this one.
    /// </summary>
    CircuitOpen,

    /// <summary>One statement's own time.</summary>
    SlowQuery,

    /// <summary>A write statement waited, reads being fast: a lock held by another transaction.</summary>
    LockWait,

    /// <summary>The request waited for a database connection from the pool.</summary>
    ConnectionPoolWait,

    /// <summary>The database refused or dropped the connection.</summary>
    DatabaseUnavailable,

    /// <summary>The cache failed and the request fell back to the database.</summary>
    CacheUnavailable,

    /// <summary>A span's self time that no child and no event explains: work the traces do not see.</summary>
    UninstrumentedWork,

    /// <summary>The first request of a route in a fresh process: start-up, JIT, first model build.</summary>
    ColdStart,

    /// <summary>An exception first thrown in this span (not an ancestor that reports it).</summary>
    Exception,

    /// <summary>A performance detector's finding (<see cref="RootCause.Finding"/> says which).</summary>
    Detected,
}
