using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.Testing;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.Tests.EndToEnd;
using OrdersTracing.Tests.EndToEnd.Support;
using OrdersTracing.Tests.TraceAnalysis;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.Benchmarks;

/// <summary>
/// The diagnosis benchmark (docs/diagnosis.md): every fault alone, then pairs, each flow driven and every trace read
/// back from the dashboard and diagnosed, scored against <see cref="DiagnosisCases"/>; healthy traffic for the false
/// findings; the time to diagnose. In a normal test run it is the quick mode, a smoke test that the benchmark works
/// and writes its page, to a temporary folder; <c>./bench/diagnose.sh</c> runs it in full and rewrites docs/diagnosis.md.
/// It checks that the benchmark works, not what it measured: the page judges the targets.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed partial class DiagnosisBenchmark(FaultsAppFixture fixture)
{
    /// <summary><c>full</c> for the full run; anything else, or nothing, is the quick mode.</summary>
    public const string ModeVariable = "DIAGNOSIS_BENCH_MODE";

    /// <summary>Where diagnosis.md and its images/ go; a temporary folder, removed afterwards, when unset.</summary>
    public const string OutputVariable = "DIAGNOSIS_BENCH_OUTPUT";

    /// <summary>Where the raw result (every trace's causes and timing) goes, as JSON; beside the page when unset.</summary>
    public const string ResultsVariable = "DIAGNOSIS_BENCH_RESULTS";

    /// <summary>How the run was started, quoted on the page.</summary>
    public const string CommandVariable = "DIAGNOSIS_BENCH_COMMAND";

    /// <summary>Overrides: requests per fault, cold starts, healthy traces.</summary>
    public const string RequestsVariable = "DIAGNOSIS_BENCH_REQUESTS";
    public const string ColdStartsVariable = "DIAGNOSIS_BENCH_COLD_STARTS";
    public const string HealthyVariable = "DIAGNOSIS_BENCH_HEALTHY";

    /// <summary>The diagnoses shown on the page: a slow dependency, a lock wait and un-instrumented work.</summary>
    private static readonly FaultKind[] Screenshots = [FaultKind.SlowProvider, FaultKind.RowLock, FaultKind.CpuBound];

    [Fact]
    public async Task The_diagnosis_benchmark_scores_every_fault_and_writes_its_page()
    {
        var full = Environment.GetEnvironmentVariable(ModeVariable) == "full";
        var requests = Setting(RequestsVariable, full ? 20 : 2);
        var coldStarts = Setting(ColdStartsVariable, full ? 20 : 1);
        var healthyCount = Setting(HealthyVariable, full ? 120 : 12);
        var configured = Environment.GetEnvironmentVariable(OutputVariable);
        var output = configured is { Length: > 0 } ? Directory.CreateDirectory(configured) : Directory.CreateTempSubdirectory("orderstracing-diagnosis-");
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            await fixture.SwitchFaultsOffAsync();
            await using var driver = new FaultDriver(fixture);
            await driver.InitializeAsync(withLargeTenant: true);
            await driver.WarmAsync([.. DiagnosisCases.HealthyFlows, .. DiagnosisCases.HealthyFlows]);
            var thresholds = OrdersAppFixture.ScenarioThresholds;
            // The first call of the diagnosis compiles it; the timings are of a warm one.
            Diagnoser.Diagnose(SyntheticTrace(20), thresholds, FaultsAppFixture.DiagnosisThresholds);

            var traces = new List<DiagnosedTrace>();
            var refused = new List<RefusedScenario>();
            var warmScenarios = DiagnosisCases.Singles.Where(scenario => !scenario.Faults.Contains(FaultKind.ColdStart)).Concat(DiagnosisCases.Pairs);
            foreach (var scenario in warmScenarios)
            {
                await RunAsync(scenario, requests);
            }

            var healthyFlows = Enumerable.Range(0, healthyCount).Select(i => DiagnosisCases.HealthyFlows[i % DiagnosisCases.HealthyFlows.Count]);
            var healthy = await driver.ReadAllAsync(await driver.SendManyAsync(healthyFlows, concurrency: 1));
            traces.AddRange(healthy.Select(read => Diagnose(null, read.Trace, read.Spans)));

            // Last: it leaves an Api behind that has served one request since its restart.
            await RunAsync(DiagnosisCases.Singles.Single(scenario => scenario.Faults.Contains(FaultKind.ColdStart)), coldStarts);
            await driver.WarmAsync(DiagnosisCases.HealthyFlows);

            var timings = new List<DiagnoseTiming> { Time("hand-built: an N+1 of 197 statements under the Api and Web", SyntheticTrace(197), thresholds) };
            var largest = (await driver.ReadAllAsync(traces.OrderByDescending(trace => trace.Spans).Take(1)
                .Select(trace => new DrivenTrace(trace.TraceId, trace.Flow, (System.Net.HttpStatusCode)trace.Status, DateTimeOffset.MinValue)).ToList())).Single();
            timings.Add(Time($"the run's largest trace ({largest.Trace.Flow})", largest.Spans, thresholds));

            var screenshots = await ScreenshotAsync(traces, output);
            var result = new DiagnosisBenchmarkResult(full ? "full" : "quick", Environment.GetEnvironmentVariable(CommandVariable) ?? "./bench/diagnose.sh",
                started, clock.Elapsed, requests, coldStarts, traces, refused, timings, screenshots);

            var page = DiagnosisReport.Render(result);
            await File.WriteAllTextAsync(Path.Combine(output.FullName, "diagnosis.md"), page, TestContext.Current.CancellationToken);
            var resultsPath = Environment.GetEnvironmentVariable(ResultsVariable) is { Length: > 0 } path ? path : Path.Combine(output.FullName, "diagnosis-results.json");
            await File.WriteAllTextAsync(resultsPath, result.ToJson(), TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine(page);

            foreach (var kind in DiagnosisCases.Kinds)
            {
                Assert.True(DiagnosisReport.HasRow(page, kind), $"No row for {kind} in:\n{page}");
            }

            Assert.DoesNotContain("NaN", page, StringComparison.Ordinal);
            Assert.Equal(healthyCount, traces.Count(trace => trace.IsHealthy));
            Assert.Equal(Screenshots.Length, screenshots.Count);

            async Task RunAsync(DiagnosisScenario scenario, int count)
            {
                IReadOnlyList<DrivenTrace> driven;
                try
                {
                    driven = await driver.DriveAsync(scenario, count);
                }
                catch (InvalidOperationException refusal)
                {
                    refused.Add(new RefusedScenario(scenario.Name, refusal.Message));
                    return;
                }

                foreach (var (trace, spans) in await driver.ReadAllAsync(driven))
                {
                    traces.Add(Diagnose(scenario, trace, spans));
                }
            }

            DiagnosedTrace Diagnose(DiagnosisScenario? scenario, DrivenTrace trace, IReadOnlyList<TraceSpan> spans)
            {
                var timer = Stopwatch.StartNew();
                var causes = Diagnoser.Diagnose(spans, thresholds, FaultsAppFixture.DiagnosisThresholds);
                var elapsed = timer.Elapsed.TotalMilliseconds;
                return new DiagnosedTrace(scenario?.Name ?? "", scenario?.Faults ?? [], trace.Flow, trace.TraceId, (int)trace.Status, spans.Count,
                    scenario?.Flows.Single(flow => flow.Flow == trace.Flow).Causes ?? [], [.. causes.Select(DiagnosedCause.Of)], elapsed);
            }
        }
        finally
        {
            if (configured is not { Length: > 0 })
            {
                output.Delete(recursive: true);
            }
        }
    }

    private static DiagnoseTiming Time(string name, IReadOnlyList<TraceSpan> trace, DetectionThresholds thresholds)
    {
        var runs = new double[DiagnosisReport.Runs200];
        for (var i = 0; i < runs.Length; i++)
        {
            var timer = Stopwatch.StartNew();
            Diagnoser.Diagnose(trace, thresholds, FaultsAppFixture.DiagnosisThresholds);
            runs[i] = timer.Elapsed.TotalMilliseconds;
        }

        Array.Sort(runs);
        return new DiagnoseTiming(name, trace.Count, runs.Length, runs[runs.Length / 2], DiagnosisReport.Percentile(runs, 0.05), DiagnosisReport.Percentile(runs, 0.95), runs[^1]);
    }

    /// <summary>
    /// Web's server span, the Api's under it, the listing's span and <paramref name="statements"/> statements one after
    /// another under that: an N+1 of the size the 50 ms budget is set for (200 spans with 197 statements).
    /// </summary>
    private static IReadOnlyList<TraceSpan> SyntheticTrace(int statements)
    {
        var trace = new TraceBuilder();
        var duration = 10 + statements * 1.1;
        var web = trace.Span("GET /orders", 0, duration + 4, service: FaultCatalogue.Services.Web, kind: TraceSpanKind.Server,
            attributes: [("http.request.method", "GET"), ("url.path", "/orders"), ("http.response.status_code", "200")]);
        var api = trace.Span("GET /api/orders/with-items", 2, duration, web, service: FaultCatalogue.Services.Api, kind: TraceSpanKind.Server,
            attributes: [("http.request.method", "GET"), ("url.path", "/api/orders/with-items"), ("http.route", "/api/orders/with-items"), ("http.response.status_code", "200")]);
        var listing = trace.Span("orders.list_with_items", 3, duration - 2, api);
        trace.Query("SELECT o.id, o.created_at FROM orders AS o WHERE o.tenant_id = @tenant ORDER BY o.created_at DESC LIMIT @p", 4, 2, listing);
        for (var i = 1; i < statements; i++)
        {
            trace.Query("SELECT i.sku, i.quantity, i.unit_price FROM order_items AS i WHERE i.order_id = @id", 6 + i * 1.1, 1, listing);
        }

        return trace.Spans;
    }

    /// <summary>The Trace doctor page of the first trace of each of <see cref="Screenshots"/>, as a signed-in user sees it.</summary>
    private async Task<IReadOnlyList<Screenshot>> ScreenshotAsync(IReadOnlyList<DiagnosedTrace> traces, DirectoryInfo output)
    {
        var images = Directory.CreateDirectory(Path.Combine(output.FullName, "images"));
        var names = new List<Screenshot>();
        await using var browser = await BrowserSession.OpenAsync(fixture.App.GetEndpoint(FaultCatalogue.Services.Web, "http"), width: 1440);
        await browser.SignInAsync(TestIds.Tenant(), TestIds.User());
        foreach (var kind in Screenshots)
        {
            var shown = traces.Where(trace => trace.Faults.SequenceEqual([kind])).OrderByDescending(trace => trace.IsTop1).FirstOrDefault();
            if (shown is null)
            {
                continue;
            }

            var name = $"diagnosis-{SnakeCase().Replace(kind.ToString(), "$1-$2").ToLowerInvariant()}.png";
            await browser.GotoAsync($"/traces/{shown.TraceId}");
            await browser.Page.ScreenshotAsync(new() { Path = Path.Combine(images.FullName, name), FullPage = true });
            names.Add(new Screenshot(name, kind, shown.TraceId, shown.Causes.Count > 0 ? shown.Causes[0].ToString() : "no cause"));
        }

        return names;
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [System.Text.RegularExpressions.GeneratedRegex("([a-z])([A-Z])")]
    private static partial System.Text.RegularExpressions.Regex SnakeCase();
}
