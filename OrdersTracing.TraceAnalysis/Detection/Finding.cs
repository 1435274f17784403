namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// One performance problem in a trace, as data: pages format it, tests compare it, and nothing reads a sentence back.
/// </summary>
/// <param name="Service">The service whose spans are the evidence.</param>
/// <param name="EvidenceSpanIds">The offending spans, lowercase hex, in start order (Sentry's <c>offender_span_ids</c>).</param>
/// <param name="Subject">The normalised statement, the URL template, or the span the finding is about.</param>
/// <param name="Count">How many offending spans (for a repeating sequence: how many times it repeated).</param>
/// <param name="TotalDuration">The time the offending spans took, overlaps counted once (Sentry's <c>total_span_time</c>).</param>
public sealed record Finding(
    FindingKind Kind,
    string Service,
    IReadOnlyList<string> EvidenceSpanIds,
    string Subject,
    int Count,
    TimeSpan TotalDuration)
{
    /// <summary>The span the repeated work followed (Sentry's <c>cause_span_ids</c>): the query that loaded the list.</summary>
    public string? SourceSpanId { get; init; }

    /// <summary>The span under which the offending spans ran, where they share one.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>For work that could run in parallel, what doing so would save.</summary>
    public TimeSpan? TimeSaved { get; init; }

    /// <summary>
    /// How much of the request's critical path the evidence held; known only where the whole trace is (the Trace doctor),
    /// not to a live processor that sees one service's spans.
    /// </summary>
    public TimeSpan? CriticalPathCost { get; init; }

    /// <summary>Where the finding was made: by the live detectors (read back from the root span's event), or in the stored trace.</summary>
    public FindingOrigin Origin { get; init; } = FindingOrigin.StoredTrace;

    public string Remedy => Remedies.For(Kind);
}

public enum FindingKind
{
    NPlusOneDb,
    SlowDbQuery,
    NPlusOneHttp,
    ConsecutiveDb,
    ConsecutiveHttp,
    MNPlusOneDb,
    LargeHttpPayload,
}

public enum FindingOrigin
{
    StoredTrace,
    LiveDetector,
}
