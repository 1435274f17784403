using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.Tests.EndToEnd;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.Benchmarks;

/// <summary>The benchmark's scores on hand-made diagnoses: what counts as naming a fault first, or among the first three.</summary>
public sealed class DiagnosisScoringTests
{
    private static readonly DiagnosedCause LockWait = new(CauseKind.LockWait, "api", "postgresql", null, 0.6);
    private static readonly DiagnosedCause SlowProvider = new(CauseKind.SlowDependency, "payments", "POST /v1/payment_intents", null, 0.3);
    private static readonly DiagnosedCause SlowInApi = new(CauseKind.SlowDependency, "api", "POST", null, 0.3);
    private static readonly DiagnosedCause NPlusOne = new(CauseKind.Detected, "api", "orders.list_with_items", FindingKind.NPlusOneDb, 0.5);
    private static readonly DiagnosedCause LargePayload = new(CauseKind.Detected, "api", "GET /api/orders", FindingKind.LargeHttpPayload, 0.1);

    [Fact]
    public void A_first_cause_of_the_expected_kind_in_another_service_is_a_miss()
    {
        var trace = Trace([FaultKind.SlowProvider], SlowInApi, SlowProvider);

        Assert.False(trace.IsTop1);
        Assert.True(trace.IsTop3);
    }

    [Fact]
    public void A_detected_cause_names_the_n_plus_one_only_when_its_finding_is_the_n_plus_ones()
    {
        Assert.False(Trace([FaultKind.NPlusOne], LargePayload).IsTop1);
        Assert.True(Trace([FaultKind.NPlusOne], NPlusOne, LargePayload).IsTop1);
    }

    [Fact]
    public void Two_faults_in_one_trace_are_top_1_with_either_first_and_top_3_only_with_both_among_the_first_three()
    {
        var both = Trace([FaultKind.RowLock, FaultKind.SlowProvider], SlowProvider, LargePayload, LockWait);
        var one = Trace([FaultKind.RowLock, FaultKind.SlowProvider], SlowProvider, LargePayload, NPlusOne, LockWait);

        Assert.True(both.IsTop1);
        Assert.True(both.IsTop3);
        Assert.True(one.IsTop1);
        Assert.False(one.IsTop3);
    }

    [Fact]
    public void A_trace_with_no_cause_is_no_hit()
    {
        var trace = Trace([FaultKind.RowLock]);

        Assert.False(trace.IsTop1);
        Assert.False(trace.IsTop3);
    }

    private static DiagnosedTrace Trace(IReadOnlyList<FaultKind> faults, params DiagnosedCause[] causes) =>
        new(string.Join(" + ", faults), faults, DiagnosedFlow.Order, TestIds.NewTraceId(), 201, 20,
            [.. faults.Select(DiagnosisCases.ExpectedOf)], causes, 0.1);
}
