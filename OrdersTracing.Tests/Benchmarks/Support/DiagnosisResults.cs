using System.Text.Json;
using System.Text.Json.Serialization;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.Tests.EndToEnd;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.Benchmarks;

/// <summary>One cause as the diagnosis gave it, as much of it as the scores and the report read.</summary>
public sealed record DiagnosedCause(CauseKind Kind, string Service, string SpanName, FindingKind? Finding, double ShareOfRequest)
{
    public static DiagnosedCause Of(RootCause cause) =>
        new(cause.Kind, cause.Service, cause.SpanName, cause.Finding?.Kind, cause.ShareOfRequest);

    public override string ToString() => Finding is { } finding ? $"{Kind} ({finding}), {Service}" : $"{Kind}, {Service}";
}

/// <summary>One trace of the benchmark: what was on, what the diagnosis said, and how long it took to say it.</summary>
/// <param name="Scenario">The scenario's name; empty for healthy traffic.</param>
/// <param name="Expected">The causes the scoring key expects; none for healthy traffic.</param>
public sealed record DiagnosedTrace(
    string Scenario,
    IReadOnlyList<FaultKind> Faults,
    DiagnosedFlow Flow,
    string TraceId,
    int Status,
    int Spans,
    IReadOnlyList<ExpectedCause> Expected,
    IReadOnlyList<DiagnosedCause> Causes,
    double DiagnoseMilliseconds)
{
    public bool IsHealthy => Faults.Count == 0;

    /// <summary>The first cause names one of the injected faults.</summary>
    public bool IsTop1 => Causes.Count > 0 && Expected.Any(expected => Names(expected, Causes[0]));

    /// <summary>Every injected fault is named among the first three causes.</summary>
    public bool IsTop3 => Expected.Count > 0 && Expected.All(expected => Causes.Take(3).Any(cause => Names(expected, cause)));

    private static bool Names(ExpectedCause expected, DiagnosedCause cause) => expected.IsNamedBy(cause.Kind, cause.Service, cause.Finding);
}

/// <summary>A scenario the application would not run (a fault it refused to switch on), reported rather than scored as misses.</summary>
public sealed record RefusedScenario(string Scenario, string Reason);

/// <summary>
/// Diagnose timed over repeated runs of one trace. The spread is the 5th to 95th percentile: the maximum of fifty runs
/// on two shared cores is whichever run a garbage collection or another process's time slice fell in.
/// </summary>
public sealed record DiagnoseTiming(string Trace, int Spans, int Runs, double MedianMilliseconds, double P5Milliseconds, double P95Milliseconds, double MaxMilliseconds)
{
    /// <summary>The report's rule for a figure against a budget: a spread across it is unresolved.</summary>
    public string Against(double budget) =>
        P95Milliseconds <= budget ? "pass" : MedianMilliseconds > budget ? "miss" : "unresolved";
}

/// <summary>A Trace doctor page kept as an image, of a trace of <paramref name="Fault"/> whose first cause was <paramref name="FirstCause"/>.</summary>
public sealed record Screenshot(string File, FaultKind Fault, string TraceId, string FirstCause);

/// <summary>Everything a run of the diagnosis benchmark measured: the report is written from this alone.</summary>
public sealed record DiagnosisBenchmarkResult(
    string Mode,
    string Command,
    DateTimeOffset Started,
    TimeSpan Runtime,
    int RequestsPerFault,
    int ColdStarts,
    IReadOnlyList<DiagnosedTrace> Traces,
    IReadOnlyList<RefusedScenario> Refused,
    IReadOnlyList<DiagnoseTiming> Timings,
    IReadOnlyList<Screenshot> Screenshots)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
