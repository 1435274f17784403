using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// The Trace doctor's diagnosis as a user reads it, per fault of the catalogue: with the fault on, the first cause on
/// the page for a request of the flow it strikes names the fault's kind and culprit service (the scoring key,
/// <see cref="DiagnosisCases"/>); with it off, the same flow's trace has no cause at all.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DiagnosisTests(FaultsAppFixture fixture) : IAsyncLifetime
{
    private FaultDriver driver = null!;

    public static TheoryData<FaultKind> Kinds => [.. DiagnosisCases.Kinds];

    public async ValueTask InitializeAsync()
    {
        await fixture.SwitchFaultsOffAsync();
        driver = new FaultDriver(fixture);
    }

    public async ValueTask DisposeAsync() => await driver.DisposeAsync();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_trace_doctor_names_the_fault_first_when_it_is_on_and_no_cause_when_it_is_off(FaultKind fault)
    {
        var scenario = DiagnosisCases.Singles.Single(single => single.Faults.SequenceEqual([fault]));
        var (flow, expected) = (scenario.Flows[0].Flow, scenario.Flows[0].Causes[0]);
        await driver.InitializeAsync(withLargeTenant: flow == DiagnosedFlow.LargeTenantListing);
        await driver.WarmAsync([flow, flow]);

        var faulty = Assert.Single(await driver.DriveAsync(scenario, requestsPerFlow: 1));
        // After a restart, the request that follows the first still meets a few cold paths; the one after is warm.
        await driver.WarmAsync(fault == FaultKind.ColdStart ? [flow] : []);
        var healthy = await driver.SendAsync(flow);
        var faultySpans = await driver.ReadAsync(faulty);
        var healthySpans = await driver.ReadAsync(healthy);
        var onCauses = await driver.CausesOnPageAsync(faulty.TraceId);
        var offCauses = await driver.CausesOnPageAsync(healthy.TraceId);

        Assert.True(onCauses.Count > 0, $"With {fault} on, the Trace doctor named no cause for trace {faulty.TraceId} ({flow}, {(int)faulty.Status}): {Describe(faultySpans)}.");
        Assert.True(Names(onCauses[0], expected),
            $"With {fault} on, the first cause of trace {faulty.TraceId} was {Describe(onCauses)}; expected {expected}. {Describe(faultySpans)}.");
        Assert.True(offCauses.Count == 0,
            $"With {fault} off, trace {healthy.TraceId} ({flow}, {(int)healthy.Status}) had causes: {Describe(offCauses)}. {Describe(healthySpans)}.");
    }

    /// <summary>The page's markers in whatever case the page writes them (<c>SlowQuery</c>, <c>slow-query</c>, <c>slow_query</c>).</summary>
    private static bool Names(CauseRow row, ExpectedCause expected) =>
        Normalize(row.Kind) == Normalize(expected.Kind.ToString()) && row.Service == expected.Service;

    private static string Normalize(string kind) => kind.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The trace as a failure message shows it, so that a miss in CI can be read without the application.</summary>
    private static string Describe(IReadOnlyList<TraceSpan> spans) =>
        "spans: " + string.Join("; ", spans.OrderBy(span => span.Start).Select(span =>
            $"{span.Service} {span.Name} {span.Duration.TotalMilliseconds:F1} ms{(span.Status == TraceSpanStatus.Error ? " error" : "")}"));

    private static string Describe(IReadOnlyList<CauseRow> rows) =>
        rows.Count == 0 ? "none" : string.Join("; ", rows.Select(row => $"{row.Kind}, {row.Service}"));
}
