using System.Globalization;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Web.TraceDoctor;

/// <summary>
/// One trace laid out for the doctor page: its waterfall with the critical path, its root causes ranked, and what the
/// detectors found.
/// </summary>
public sealed record TraceDiagnosis(
    string TraceId,
    TimeSpan Duration,
    CriticalPathResult CriticalPath,
    IReadOnlyList<WaterfallRow> Rows,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<Finding> LiveFindings)
{
    /// <summary>The trace's root causes, most important first (<see cref="Diagnoser"/>); none for a healthy trace.</summary>
    public IReadOnlyList<RootCause> Causes { get; init; } = [];

    public static TraceDiagnosis Of(IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null, DiagnosisThresholds? diagnosis = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(trace.Count);

        var criticalPath = TraceAnalysis.CriticalPath.Compute(trace);
        var start = trace.Min(span => span.Start);
        var duration = trace.Max(span => span.End) - start;
        var sectionsBySpan = criticalPath.Sections.ToLookup(section => section.Span.SpanId);

        double Percent(DateTimeOffset time) => duration > TimeSpan.Zero ? (time - start) / duration * 100 : 0;

        var rows = InTreeOrder(trace).Select(item => new WaterfallRow(
            item.Span,
            item.Depth,
            criticalPath.Timing(item.Span),
            Percent(item.Span.Start),
            Math.Max(Percent(item.Span.End) - Percent(item.Span.Start), 0.2),
            [.. sectionsBySpan[item.Span.SpanId].Select(section => new BarSegment(
                Percent(section.SectionStart), Math.Max(Percent(section.SectionEnd) - Percent(section.SectionStart), 0.2)))]));

        return new TraceDiagnosis(trace[0].TraceId, duration, criticalPath, [.. rows],
            TraceAnalysis.Findings.Of(criticalPath, trace, thresholds), StoredTraceDetection.LiveFindings(trace))
        {
            Causes = Diagnoser.Diagnose(trace, thresholds, diagnosis ?? DiagnosisThresholds.Default),
        };
    }

    /// <summary>Milliseconds as a person reads them: one decimal below 10 ms, whole numbers above.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalMilliseconds < 10
            ? duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
            : duration.TotalMilliseconds.ToString("#,0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Depth first, children in start order, so each span sits under its parent as in every trace viewer.</summary>
    private static IEnumerable<(TraceSpan Span, int Depth)> InTreeOrder(IReadOnlyList<TraceSpan> trace)
    {
        var ids = trace.Select(span => span.SpanId).ToHashSet();
        var children = trace
            .Where(span => span.ParentSpanId is { } parent && ids.Contains(parent))
            .ToLookup(span => span.ParentSpanId!);
        var pending = new Stack<(TraceSpan Span, int Depth)>(
            trace.Where(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId)).OrderByDescending(span => span.Start).Select(span => (span, 0)));

        while (pending.TryPop(out var item))
        {
            yield return item;
            foreach (var child in children[item.Span.SpanId].OrderByDescending(span => span.Start))
            {
                pending.Push((child, item.Depth + 1));
            }
        }
    }
}

/// <summary>One span's row; offsets and widths are percentages of the whole trace.</summary>
public sealed record WaterfallRow(
    TraceSpan Span,
    int Depth,
    SpanTiming Timing,
    double Offset,
    double Width,
    IReadOnlyList<BarSegment> CriticalSections)
{
    public bool IsOnCriticalPath => CriticalSections.Count > 0;
}

public sealed record BarSegment(double Offset, double Width);

/// <summary>One line of the recent-traces list.</summary>
public sealed record TraceSummary(string TraceId, string Service, string Name, DateTimeOffset Start, TimeSpan Duration, int Spans, bool Failed)
{
    public static TraceSummary Of(IReadOnlyList<TraceSpan> trace)
    {
        var ids = trace.Select(span => span.SpanId).ToHashSet();
        var root = trace.OrderBy(span => span.Start).FirstOrDefault(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId)) ?? trace[0];
        return new TraceSummary(root.TraceId, root.Service, root.Name, trace.Min(span => span.Start),
            trace.Max(span => span.End) - trace.Min(span => span.Start), trace.Count, trace.Any(span => span.Status == TraceSpanStatus.Error));
    }
}
