using System.Globalization;
using System.Text;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.Tests.EndToEnd;

namespace OrdersTracing.Tests.Benchmarks;

/// <summary>Writes docs/diagnosis.md from a run's result: the tables, each target judged, the method and the context.</summary>
public static class DiagnosisReport
{
    public const double Top1Overall = 0.9;
    public const double Top1PerKind = 0.8;
    public const double Top3 = 1.0;
    public const double FalseFindingRate = 0.01;
    public const double MillisecondsPer200Spans = 50;

    public static string Render(DiagnosisBenchmarkResult result)
    {
        var singles = result.Traces.Where(trace => !trace.IsHealthy && trace.Faults.Count == 1).ToList();
        var pairs = result.Traces.Where(trace => trace.Faults.Count > 1).ToList();
        var healthy = result.Traces.Where(trace => trace.IsHealthy).ToList();
        var byKind = singles.GroupBy(trace => trace.Faults[0]).ToDictionary(group => group.Key, group => group.ToList());
        var largest = result.Timings.Where(timing => timing.Spans >= 200).OrderBy(timing => timing.Spans).FirstOrDefault();
        var falseRate = Share(healthy, trace => trace.Causes.Count > 0);
        var worstKind = byKind.Count == 0 ? double.NaN : byKind.Values.Min(traces => Share(traces, trace => trace.IsTop1));
        var missedKinds = byKind.Where(pair => Share(pair.Value, trace => trace.IsTop1) < Top1PerKind).Select(pair => pair.Key.ToString())
            .Concat(result.Refused.Select(refused => refused.Scenario)).ToList();

        var page = new StringBuilder();
        page.AppendLine("# The diagnosis, measured against the fault catalogue");
        page.AppendLine();
        page.AppendLine("""
            The Trace doctor names a trace's root causes, most important first (`Diagnoser.Diagnose`,
            [OrdersTracing.TraceAnalysis/Diagnosis](../OrdersTracing.TraceAnalysis/Diagnosis/Diagnoser.cs)). This page
            measures how often it names the right one: each fault of the [catalogue](faults.md) is switched on alone, then a few
            pairs, the flow it strikes is driven, every request's trace is read back from the Aspire dashboard and diagnosed, and
            the first cause is compared with the fault's expected cause (its kind and the culprit's service). Healthy traffic
            of the same flows, no fault on, must have no cause at all.
            """);
        page.AppendLine();
        page.AppendLine(CultureInfo.InvariantCulture, $"Measured {result.Started:yyyy-MM-dd HH:mm} UTC on this machine ({Environment.ProcessorCount} cores, shared), local mode, "
            + $"{result.Mode} mode: {result.RequestsPerFault} requests per fault ({result.ColdStarts} for the cold start), "
            + $"{healthy.Count} healthy traces; the run took {result.Runtime.TotalMinutes:F1} min. `{result.Command}`");
        page.AppendLine();

        page.AppendLine("## Targets");
        page.AppendLine();
        page.AppendLine("| Target | Measured | |");
        page.AppendLine("|---|---|---|");
        Target(page, $"Top@1 >= {Top1Overall:0.0#} overall", Share(singles, trace => trace.IsTop1), Top1Overall, atLeast: true, $"{singles.Count(trace => trace.IsTop1)} of {singles.Count} traces");
        Target(page, $"Top@1 >= {Top1PerKind:0.0#} for every kind", worstKind, Top1PerKind, atLeast: true,
            missedKinds.Count == 0 ? "every kind" : $"worst kind; below: {string.Join(", ", missedKinds)}");
        Target(page, $"Top@3 = {Top3:0.0}", Share(singles, trace => trace.IsTop3), Top3, atLeast: true, $"{singles.Count(trace => trace.IsTop3)} of {singles.Count} traces");
        Target(page, $"false findings <= {FalseFindingRate:P0} of healthy traces", falseRate, FalseFindingRate, atLeast: false,
            $"{healthy.Count(trace => trace.Causes.Count > 0)} of {healthy.Count} traces", percent: true);
        if (largest is not null)
        {
            page.AppendLine(CultureInfo.InvariantCulture,
                $"| <= {MillisecondsPer200Spans:0} ms to diagnose a trace of 200 spans | {largest.MedianMilliseconds:F2} ms median, {largest.P5Milliseconds:F2} to {largest.P95Milliseconds:F2} ms (5th to 95th percentile; max {largest.MaxMilliseconds:F2}; {largest.Spans} spans, {largest.Runs} runs) | {largest.Against(MillisecondsPer200Spans)} |");
        }

        page.AppendLine();
        page.AppendLine("## Each fault alone");
        page.AppendLine();
        page.AppendLine("| Fault | Flow | Expected first cause | Traces | Top@1 | Top@3 | First cause given (traces) |");
        page.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var kind in DiagnosisCases.Kinds)
        {
            if (result.Refused.FirstOrDefault(refused => refused.Scenario == kind.ToString()) is { } refusal)
            {
                page.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {DiagnosisCases.FlowOf(kind)} | {DiagnosisCases.ExpectedOf(kind)} | 0 | not run | not run | {Cell(refusal.Reason)} |");
                continue;
            }

            if (!byKind.TryGetValue(kind, out var traces))
            {
                continue;
            }

            page.AppendLine(CultureInfo.InvariantCulture,
                $"| {kind} | {DiagnosisCases.FlowOf(kind)} | {DiagnosisCases.ExpectedOf(kind)} | {traces.Count} | {Share(traces, trace => trace.IsTop1):F2} | {Share(traces, trace => trace.IsTop3):F2} | {FirstCauses(traces)} |");
        }

        page.AppendLine(CultureInfo.InvariantCulture,
            $"| **overall** | | | {singles.Count} | **{Share(singles, trace => trace.IsTop1):F2}** | **{Share(singles, trace => trace.IsTop3):F2}** | |");
        page.AppendLine();

        page.AppendLine("## Two faults at once");
        page.AppendLine();
        page.AppendLine("""
            Two faults in one trace score Top@1 when the first cause is either of them and Top@3 when both are among the first
            three; two faults on different flows are scored per flow, each trace against its own fault (and not the other).
            """);
        page.AppendLine();
        page.AppendLine("| Faults | Flow | Expected | Traces | Top@1 | Top@3 | First cause given (traces) |");
        page.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var group in pairs.GroupBy(trace => (trace.Scenario, trace.Flow)))
        {
            var traces = group.ToList();
            page.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key.Scenario} | {group.Key.Flow} | {string.Join(" and ", traces[0].Expected)} | {traces.Count} | {Share(traces, trace => trace.IsTop1):F2} | {Share(traces, trace => trace.IsTop3):F2} | {FirstCauses(traces)} |");
        }

        foreach (var refused in result.Refused.Where(refused => refused.Scenario.Contains('+', StringComparison.Ordinal)))
        {
            page.AppendLine(CultureInfo.InvariantCulture, $"| {refused.Scenario} | | | 0 | not run | not run | {Cell(refused.Reason)} |");
        }

        page.AppendLine();
        page.AppendLine("## Healthy traffic");
        page.AppendLine();
        page.AppendLine("| Flow | Traces | With any cause | Causes given (traces) |");
        page.AppendLine("|---|---|---|---|");
        foreach (var group in healthy.GroupBy(trace => trace.Flow))
        {
            var traces = group.ToList();
            page.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {traces.Count} | {traces.Count(trace => trace.Causes.Count > 0)} | {FirstCauses(traces)} |");
        }

        page.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {healthy.Count} | **{falseRate:P1}** | |");
        page.AppendLine();

        page.AppendLine("## Time to diagnose");
        page.AppendLine();
        page.AppendLine("| Trace | Spans | Runs | Median | 5th to 95th percentile | Max |");
        page.AppendLine("|---|---|---|---|---|---|");
        var all = result.Traces.Select(trace => trace.DiagnoseMilliseconds).Order().ToList();
        if (all.Count > 0)
        {
            page.AppendLine(CultureInfo.InvariantCulture,
                $"| every trace of the run, once each | {result.Traces.Min(trace => trace.Spans)} to {result.Traces.Max(trace => trace.Spans)} | {all.Count} | {Percentile(all, 0.5):F2} ms | {Percentile(all, 0.05):F2} to {Percentile(all, 0.95):F2} ms | {all[^1]:F2} ms |");
        }

        foreach (var timing in result.Timings)
        {
            page.AppendLine(CultureInfo.InvariantCulture, $"| {timing.Trace} | {timing.Spans} | {timing.Runs} | {timing.MedianMilliseconds:F2} ms | {timing.P5Milliseconds:F2} to {timing.P95Milliseconds:F2} ms | {timing.MaxMilliseconds:F2} ms |");
        }

        page.AppendLine();
        page.AppendLine("## Method");
        page.AppendLine();
        page.AppendLine(CultureInfo.InvariantCulture, $"""
            - The whole application in local mode (Aspire.Hosting.Testing, Postgres and Redis as local processes, the Aspire
              dashboard as the trace store), as the end-to-end tests start it (`FaultsAppFixture`); the payment provider's own
              latency is {OrdersAppFixture.PaymentProviderLatency.TotalMilliseconds:0} ms, the detectors' thresholds those of the end-to-end tests (`OrdersAppFixture.ScenarioThresholds`),
              which the Trace doctor page uses too. The diagnosis's thresholds are its defaults but one: what is slow is
              relative to a dependency's usual, and the stand-in's usual here is that 300 ms, so a dependency is slow above
              {FaultsAppFixture.DiagnosisThresholds.MinimumDependencyTime.TotalMilliseconds:0} ms (`FaultsAppFixture.DiagnosisThresholds`; 150 ms by default).
            - Each fault is switched on through its service's control endpoint (`PUT /test/faults`) with the settings in
              `DiagnosisCases.SpecOf`, the flow it strikes is driven ({result.RequestsPerFault} requests, one or two at a time),
              and the fault is switched off; the next scenario starts once each flow is served again. The provider's
              faults send their requests one at a time, paced so that fewer than 10 attempts fall in any 10 s: the Api's
              circuit breaker opens at 10 half-failed attempts in 10 s, and a call it fails at once has nothing of the fault
              in its trace but the breaker (the diagnosis names that CircuitOpen, which is not the fault's key); after
              such a scenario the next waits out the breaker's 10 s window. An exhausted pool is switched on under each request and off {FaultDriver.PoolHold.TotalMilliseconds:0} ms later (it
              holds every request until then); the cold start restarts the Api before each of its requests and takes the first.
              The missing index strikes the listing of a tenant of {FaultsAppFixture.LargeTenantOrders:N0} orders.
            - Each request carries its own trace id; its trace is read back from the dashboard's telemetry API once the flow's
              root span is there and no span has arrived for 2 s (every process exports a batch a second), and diagnosed with
              `Diagnoser.Diagnose` in this process, timed with a stopwatch (each trace once, after a warm-up).
            - A trace scores Top@1 when the first cause names the fault (`DiagnosisCases.ExpectedOf`: the cause's kind and the
              culprit span's service; for the N+1, a detected cause whose finding is the N+1 detector's), Top@3 when it is
              among the first three. Healthy traffic is the same flows with every fault off, in turn; a healthy trace with any
              cause is a false finding.
            - The 200-span timing is a hand-built trace (Web's server span, the Api's, its listing span and 197 statements of an N+1 under it),
              diagnosed {Runs200} times; the largest real trace of the run is timed the same way.
            - What the score does not say: each fault is switched on at an amount well above the floor it must pass (a
              provider 1 000 ms slower against the 600 ms floor, a 500 ms sleep or a 300 000-order scan against 25 ms for a
              statement, a 1 000 ms lock, 500 ms of CPU and an 800 ms step against 100 ms of own time). A fault near its floor
              is named only some of the time: a 100 000-order tenant's scan took 20 to 50 ms here, against the 25 ms floor,
              and was missed in one end-to-end run of three before the tenant was made larger. The score measures the rules
              on clear faults of known mechanisms, not how small a fault they can see.
            """);
        page.AppendLine();
        page.AppendLine("## Context: the literature");
        page.AppendLine();
        page.AppendLine("""
            Root-cause analysis of microservice failures is measured on public benchmarks such as RCAEval (735 failure cases of
            11 fault types, with 15 baseline methods), and a 2025 re-evaluation of 11 published methods on 25 fault types
            ([arXiv 2510.04711](https://arxiv.org/abs/2510.04711)) found a Top@1 of 0.21 on average, 0.37 at best. Those
            methods rank culprits from metrics, logs and traces of systems they did not build, faults they never saw, and no
            span that says "connection pool" or "lock"; here the application was instrumented for the very faults it is tested
            with, and the scoring key names one cause per fault. The figures above are context for those, not a score that
            beats them.
            """);
        page.AppendLine();

        if (result.Screenshots.Count > 0)
        {
            page.AppendLine("## Three diagnoses");
            page.AppendLine();
            foreach (var screenshot in result.Screenshots)
            {
                page.AppendLine(CultureInfo.InvariantCulture, $"{screenshot.Fault}: the first cause given was {screenshot.FirstCause} (trace `{screenshot.TraceId}`).");
                page.AppendLine();
                page.AppendLine(CultureInfo.InvariantCulture, $"![The Trace doctor on a trace with {screenshot.Fault} on](images/{screenshot.File})");
                page.AppendLine();
            }
        }

        page.AppendLine("## Reproduce");
        page.AppendLine();
        page.AppendLine("""
            ```bash
            ./bench/diagnose.sh            # the full run: rewrites docs/diagnosis.md and docs/images/diagnosis-*.png
            ./bench/diagnose.sh --quick    # a smoke run of 2 requests a fault, to a temporary folder (also a test of ./test.sh)
            dotnet test OrdersTracing.Tests --filter "FullyQualifiedName~DiagnosisTests"   # the Trace doctor page, one test per fault
            ```
            """);
        return page.ToString();
    }

    /// <summary>How many times the 200-span trace is diagnosed for its timing.</summary>
    public const int Runs200 = 50;

    private static void Target(StringBuilder page, string target, double measured, double goal, bool atLeast, string detail, bool percent = false)
    {
        var met = !double.IsNaN(measured) && (atLeast ? measured >= goal : measured <= goal);
        var value = double.IsNaN(measured) ? "no traces" : percent ? measured.ToString("P1", CultureInfo.InvariantCulture) : measured.ToString("F2", CultureInfo.InvariantCulture);
        page.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {value} ({detail}) | {(met ? "pass" : "miss")} |");
    }

    private static double Share(IReadOnlyCollection<DiagnosedTrace> traces, Func<DiagnosedTrace, bool> holds) =>
        traces.Count == 0 ? double.NaN : (double)traces.Count(holds) / traces.Count;

    /// <summary>What the diagnosis put first, most frequent first: "SlowQuery, api (19); none (1)".</summary>
    private static string FirstCauses(IEnumerable<DiagnosedTrace> traces) =>
        string.Join("; ", traces
            .GroupBy(trace => trace.Causes.Count == 0 ? "none" : trace.Causes[0].ToString())
            .OrderByDescending(group => group.Count())
            .Select(group => $"{group.Key} ({group.Count()})"));

    /// <summary>The value at <paramref name="quantile"/> of sorted values (nearest rank), as every spread on the page is taken.</summary>
    internal static double Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The report's figure for a fault kind, for the smoke test: every kind has a row.</summary>
    public static bool HasRow(string page, FaultKind kind) => page.Contains($"\n| {kind} |", StringComparison.Ordinal);
}
