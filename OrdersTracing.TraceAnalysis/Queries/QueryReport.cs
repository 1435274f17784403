namespace OrdersTracing.TraceAnalysis;

/// <summary>What <see cref="QueryFindings.Find"/> found in one trace.</summary>
/// <param name="DetectorMarks">N+1 marks a live detector had already put on root spans.</param>
public sealed record QueryReport(
    IReadOnlyList<NPlusOneGroup> NPlusOne,
    IReadOnlyList<SlowQuery> SlowQueries,
    IReadOnlyList<NPlusOneMark> DetectorMarks);

/// <summary>Repeated queries of one shape under one parent, each issued after the previous one finished.</summary>
/// <param name="Statement">The normalised statement the repeated queries share.</param>
/// <param name="SourceQuery">The different query just before them, typically the one that loaded the list.</param>
public sealed record NPlusOneGroup(TraceSpan Parent, string Statement, TraceSpan SourceQuery, IReadOnlyList<TraceSpan> Queries)
{
    public int Count => Queries.Count;

    public TimeSpan TotalDuration => Queries.Aggregate(TimeSpan.Zero, (total, query) => total + query.Duration);
}

/// <param name="Statement">The normalised statement.</param>
public sealed record SlowQuery(TraceSpan Span, string Statement)
{
    public TimeSpan Duration => Span.Duration;
}

/// <summary>A root span marked by a live detector; the detector may not say how many or which statement.</summary>
public sealed record NPlusOneMark(TraceSpan Root, int? Count, string? Statement);
