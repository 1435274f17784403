using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The requests a fault strikes, as a user or Web sends them.</summary>
public enum DiagnosedFlow
{
    /// <summary><c>POST /api/orders?payment=Synchronous</c>: the order and its charge in one request.</summary>
    Order,

    /// <summary><c>GET /api/orders</c> of a tenant with a few orders.</summary>
    Listing,

    /// <summary><c>GET /api/orders</c> of the tenant of 100 000 orders (<see cref="FaultsAppFixture.LargeTenantAsync"/>).</summary>
    LargeTenantListing,

    /// <summary><c>GET /api/orders/with-items</c>, loaded as <c>Scenarios:ItemLoading</c> (or the N+1 fault) says.</summary>
    ListingWithItems,

    /// <summary><c>GET /api/orders/{id}</c>, read through the order cache.</summary>
    OrderRead,

    /// <summary>Web's <c>GET /orders</c> page, signed in.</summary>
    WebOrdersPage,
}

/// <summary>What the diagnosis should name first for a fault: the cause's kind and the culprit's service (and, for a detector's cause, which detector).</summary>
public sealed record ExpectedCause(CauseKind Kind, string Service, FindingKind? Finding = null)
{
    public bool IsNamedBy(RootCause cause) => IsNamedBy(cause.Kind, cause.Service, cause.Finding?.Kind);

    public bool IsNamedBy(CauseKind kind, string service, FindingKind? finding) =>
        kind == Kind && service == Service && (Finding is null || finding == Finding);

    /// <summary>As the report's tables write it: <c>SlowQuery, api</c>, or <c>Detected (NPlusOneDb), api</c>.</summary>
    public override string ToString() => Finding is { } finding ? $"{Kind} ({finding}), {Service}" : $"{Kind}, {Service}";
}

/// <summary>One flow driven while a scenario's faults are on, and the causes its traces must show.</summary>
public sealed record FlowExpectation(DiagnosedFlow Flow, IReadOnlyList<ExpectedCause> Causes);

/// <summary>Faults switched on together, and per flow they strike, what the diagnosis should name.</summary>
public sealed record DiagnosisScenario(string Name, IReadOnlyList<FaultKind> Faults, IReadOnlyList<FlowExpectation> Flows)
{
    public bool IsPair => Faults.Count > 1;
}

/// <summary>
/// The scoring key of the diagnosis (docs/diagnosis.md): for each fault of the catalogue the flow it strikes, the
/// settings it is switched on with, and the root cause the Trace doctor must name first. The settings are the
/// catalogue's own where they show plainly in one trace, shorter where a benchmark of 20 requests a kind would
/// otherwise take long (a provider that holds its answer 6 s rather than 8 s is still cut at the 5 s attempt timeout).
/// </summary>
public static class DiagnosisCases
{
    private const string Api = FaultCatalogue.Services.Api;
    private const string Web = FaultCatalogue.Services.Web;
    private const string Payments = FaultCatalogue.Services.Payments;

    public static IReadOnlyList<FaultKind> Kinds { get; } = Enum.GetValues<FaultKind>();

    /// <summary>The settings each fault is switched on with; none for <see cref="FaultKind.ColdStart"/>, which is a restart.</summary>
    public static FaultSpec? SpecOf(FaultKind kind) => kind switch
    {
        FaultKind.SlowProvider => new(kind, Payments, Amount: 1000),
        FaultKind.ProviderErrors => new(kind, Payments, Attempts: 2),
        FaultKind.ProviderTimeout => new(kind, Payments, Amount: 6000, Attempts: 1),
        FaultKind.ProviderUnreachable => new(kind, Api),
        FaultKind.SlowQuery => new(kind, Api, Target: "orders", Amount: 500),
        FaultKind.MissingIndex => new(kind, Api),
        FaultKind.RowLock => new(kind, Api, Amount: 1000),
        FaultKind.PoolExhausted => new(kind, Api),
        FaultKind.NPlusOne => new(kind, Api),
        FaultKind.CpuBound => new(kind, Api, Target: "POST /api/orders", Amount: 500),
        FaultKind.SlowWebStep => new(kind, Web, Target: "GET /orders", Amount: 800),
        FaultKind.DeepException => new(kind, Api, Target: "orders"),
        FaultKind.CacheUnavailable => new(kind, Api),
        FaultKind.DatabaseDown => new(kind, Api),
        FaultKind.ColdStart => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No diagnosis case for this fault."),
    };

    /// <summary>The flow a fault strikes.</summary>
    public static DiagnosedFlow FlowOf(FaultKind kind) => kind switch
    {
        FaultKind.SlowQuery or FaultKind.PoolExhausted or FaultKind.DatabaseDown => DiagnosedFlow.Listing,
        FaultKind.MissingIndex => DiagnosedFlow.LargeTenantListing,
        FaultKind.NPlusOne => DiagnosedFlow.ListingWithItems,
        FaultKind.CacheUnavailable => DiagnosedFlow.OrderRead,
        FaultKind.SlowWebStep => DiagnosedFlow.WebOrdersPage,
        _ => DiagnosedFlow.Order,
    };

    /// <summary>The first cause the diagnosis must name for a fault (the scoring key).</summary>
    public static ExpectedCause ExpectedOf(FaultKind kind) => kind switch
    {
        FaultKind.SlowProvider => new(CauseKind.SlowDependency, Payments),
        FaultKind.ProviderErrors => new(CauseKind.DependencyErrors, Payments),
        FaultKind.ProviderTimeout => new(CauseKind.DependencyTimeout, Payments),
        FaultKind.ProviderUnreachable => new(CauseKind.DependencyUnreachable, Api),
        FaultKind.SlowQuery or FaultKind.MissingIndex => new(CauseKind.SlowQuery, Api),
        FaultKind.RowLock => new(CauseKind.LockWait, Api),
        FaultKind.PoolExhausted => new(CauseKind.ConnectionPoolWait, Api),
        FaultKind.DatabaseDown => new(CauseKind.DatabaseUnavailable, Api),
        FaultKind.NPlusOne => new(CauseKind.Detected, Api, FindingKind.NPlusOneDb),
        FaultKind.CpuBound => new(CauseKind.UninstrumentedWork, Api),
        FaultKind.SlowWebStep => new(CauseKind.UninstrumentedWork, Web),
        FaultKind.DeepException => new(CauseKind.Exception, Api),
        FaultKind.CacheUnavailable => new(CauseKind.CacheUnavailable, Api),
        FaultKind.ColdStart => new(CauseKind.ColdStart, Api),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No diagnosis case for this fault."),
    };

    /// <summary>Each fault alone, in the catalogue's order but the cold start last: it leaves a cold Api behind.</summary>
    public static IReadOnlyList<DiagnosisScenario> Singles { get; } =
    [
        .. Kinds.Where(kind => kind != FaultKind.ColdStart).Append(FaultKind.ColdStart).Select(kind =>
            new DiagnosisScenario(kind.ToString(), [kind], [new FlowExpectation(FlowOf(kind), [ExpectedOf(kind)])])),
    ];

    /// <summary>
    /// Two faults at once: two in one trace (both must be among its first three causes, one of them first), and two
    /// on different flows (each flow's traces name their own fault, not the other).
    /// </summary>
    public static IReadOnlyList<DiagnosisScenario> Pairs { get; } =
    [
        InOneTrace(FaultKind.CpuBound, FaultKind.SlowQuery),
        InOneTrace(FaultKind.RowLock, FaultKind.SlowProvider),
        new("SlowProvider + NPlusOne", [FaultKind.SlowProvider, FaultKind.NPlusOne],
        [
            new FlowExpectation(FlowOf(FaultKind.SlowProvider), [ExpectedOf(FaultKind.SlowProvider)]),
            new FlowExpectation(FlowOf(FaultKind.NPlusOne), [ExpectedOf(FaultKind.NPlusOne)]),
        ]),
    ];

    /// <summary>The flows healthy traffic is made of: every flow a fault strikes.</summary>
    public static IReadOnlyList<DiagnosedFlow> HealthyFlows { get; } = Enum.GetValues<DiagnosedFlow>();

    private static DiagnosisScenario InOneTrace(FaultKind first, FaultKind second) =>
        new($"{first} + {second}", [first, second], [new FlowExpectation(DiagnosedFlow.Order, [ExpectedOf(first), ExpectedOf(second)])]);
}
