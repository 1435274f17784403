using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Consecutive queries that could run in parallel: Sentry's <c>ConsecutiveDBSpanDetector</c>
/// (<c>consecutive_db_detector.py</c>). Walking the transaction in start order, <c>SELECT</c> queries one after another
/// form a run; any other span, or a query that starts before the previous one ended, ends it (and, as in Sentry, is
/// not the start of the next). Of a run, the queries after the first that have no <c>WHERE</c> and no parameter are
/// independent; the run is a finding when it has at least <see cref="DetectionThresholds.MinimumConsecutiveQueries"/>
/// queries, every independent one lasts longer than <see cref="DetectionThresholds.ConsecutiveQueryDuration"/>, and
/// running them in parallel saves at least <see cref="DetectionThresholds.ConsecutiveQueriesMinimumTimeSaved"/> and
/// <see cref="DetectionThresholds.ConsecutiveQueriesMinimumTimeSavedRatio"/> of the run's time. The time saved is
/// Sentry's: the run's total less the longer of the longest independent query and the dependent ones together.
/// </summary>
/// <remarks>
/// One deliberate departure: Sentry's parameter pattern knows <c>?</c>, <c>$1</c> and <c>%s</c>; .NET providers send
/// <c>@name</c> and Npgsql <c>$2</c>, <c>$3</c>..., which are parameters too.
/// </remarks>
internal static partial class ConsecutiveDbDetector
{
    public static void Find(DetectionContext context)
    {
        // A run is of queries only.
        if (context.QueryCount < context.Thresholds.MinimumConsecutiveQueries)
        {
            return;
        }

        // A run is a range of the spans in start order: a span that ends one is in neither it nor the next.
        var spans = CollectionsMarshal.AsSpan(context.Spans);
        var start = 0;
        for (var i = 0; i < spans.Length; i++)
        {
            if (!IsSelect(spans[i]) || (i > start && spans[i - 1].EndTicks > spans[i].StartTicks))
            {
                Report(context, start, i - start);
                start = i + 1;
            }
        }

        Report(context, start, spans.Length - start);
    }

    private static bool IsSelect(in DetectedSpan span) =>
        span.IsQuery && span.Text is { } text && text.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    private static bool IsIndependent(in DetectedSpan span) =>
        span.Text is { } text && !text.Contains("WHERE", StringComparison.OrdinalIgnoreCase) && !Parameter().IsMatch(text);

    private static void Report(DetectionContext context, int start, int count)
    {
        var thresholds = context.Thresholds;
        if (count < thresholds.MinimumConsecutiveQueries)
        {
            return;
        }

        var run = context.Spans.GetRange(start, count);

        var independent = run.Skip(1).Where(span => IsIndependent(span)).ToList();
        if (independent.Count == 0 || !independent.All(span => span.Duration > thresholds.ConsecutiveQueryDuration))
        {
            return;
        }

        var total = IntervalUnion.Sum(run);
        var dependent = IntervalUnion.Sum([.. run.Where(span => !independent.Contains(span))]);
        var saved = total - Max(independent.Max(span => span.Duration), dependent);
        if (saved < thresholds.ConsecutiveQueriesMinimumTimeSaved || total <= TimeSpan.Zero || saved / total < thresholds.ConsecutiveQueriesMinimumTimeSavedRatio)
        {
            return;
        }

        context.Report(new Finding(FindingKind.ConsecutiveDb, context.Service, DetectionContext.Ids(independent), independent[0].Statement!, run.Count, total)
        {
            SourceSpanId = run[0].SpanId.ToHexString(),
            TimeSaved = saved,
        });
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Sentry's CONTAINS_PARAMETER_REGEX (single-quoted strings, booleans, numbers, ?, $1, %s), plus @name and $n.
    [GeneratedRegex(@"'(?:[^']|'')*?(?:\\'.*|'(?!'))|\b(?:true|false)\b|-?\b(?:[0-9]+\.)?[0-9]+(?:[eE][+-]?[0-9]+)?\b|\?|\$[0-9]+|%s|@[A-Za-z_][A-Za-z0-9_]*", RegexOptions.IgnoreCase)]
    private static partial Regex Parameter();
}
