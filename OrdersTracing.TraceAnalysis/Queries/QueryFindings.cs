using System.Globalization;

namespace OrdersTracing.TraceAnalysis;

/// <summary>Database work in a trace that a person should look at: N+1 query groups and slow queries.</summary>
public static class QueryFindings
{
    public const int DefaultMinimumRepetitions = 5;
    public static readonly TimeSpan DefaultMinimumTotalDuration = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan DefaultSlowQueryThreshold = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Finds N+1 groups by the rule of Sentry's N+1 DB span detector: under one parent, at least
    /// <paramref name="minimumRepetitions"/> consecutive database spans (spans with <c>db.system.name</c> or
    /// <c>db.system</c>) with the same normalised statement, each starting after the previous one ended (parallel
    /// queries are not N+1), preceded by a database span with a different statement (the source query), and
    /// together lasting at least <paramref name="minimumTotalDuration"/> (50 ms unless given). Slow queries are
    /// database spans lasting at least <paramref name="slowQueryThreshold"/> (500 ms unless given).
    /// </summary>
    public static QueryReport Find(
        IReadOnlyList<TraceSpan> trace,
        int minimumRepetitions = DefaultMinimumRepetitions,
        TimeSpan? minimumTotalDuration = null,
        TimeSpan? slowQueryThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumRepetitions, 2);

        var tree = new TraceTree(trace);
        var minimumTotal = minimumTotalDuration ?? DefaultMinimumTotalDuration;
        var slow = slowQueryThreshold ?? DefaultSlowQueryThreshold;

        return new QueryReport(
            [.. trace.SelectMany(parent => NPlusOneGroups(parent, tree.Children(parent), minimumRepetitions, minimumTotal))],
            [.. trace.Where(span => span.IsQuery() && span.Duration >= slow).Select(span => new SlowQuery(span, Shape(span)))],
            [.. tree.Roots.Select(DetectorMark).OfType<NPlusOneMark>()]);
    }

    private static IEnumerable<NPlusOneGroup> NPlusOneGroups(
        TraceSpan parent, IReadOnlyList<TraceSpan> children, int minimumRepetitions, TimeSpan minimumTotal)
    {
        var queries = children.Where(span => span.IsQuery()).Select(span => (Span: span, Shape: Shape(span))).ToList();
        var runStart = 0;
        for (var i = 1; i <= queries.Count; i++)
        {
            var continuesRun = i < queries.Count
                && queries[i].Shape == queries[runStart].Shape
                && queries[i].Span.Start >= queries[i - 1].Span.End;
            if (continuesRun)
            {
                continue;
            }

            // A run cut short by an overlap is preceded by the same statement, which is no source query.
            if (runStart > 0 && queries[runStart - 1].Shape != queries[runStart].Shape)
            {
                var group = new NPlusOneGroup(
                    parent, queries[runStart].Shape, queries[runStart - 1].Span, [.. queries[runStart..i].Select(query => query.Span)]);
                if (group.Count >= minimumRepetitions && group.TotalDuration >= minimumTotal)
                {
                    yield return group;
                }
            }

            runStart = i;
        }
    }

    private static string Shape(TraceSpan span) => SqlNormalizer.Normalize(span.QueryText() ?? span.Name);

    private static NPlusOneMark? DetectorMark(TraceSpan root) =>
        bool.TryParse(root[SpanAttributes.NPlusOneDetected], out var detected) && detected
            ? new NPlusOneMark(
                root,
                int.TryParse(root[SpanAttributes.NPlusOneCount], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null,
                root[SpanAttributes.NPlusOneStatement])
            : null;
}
