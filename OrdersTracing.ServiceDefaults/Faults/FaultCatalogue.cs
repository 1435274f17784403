using System.Collections.Frozen;

namespace OrdersTracing.ServiceDefaults.Faults;

public enum FaultUnit
{
    None,
    Milliseconds,
    Connections,
}

public enum FaultTargetKind
{
    None,
    Route,
    Table,
}

/// <summary>
/// One kind of fault: who injects it, what its amount means and what the dashboard switches on. The
/// <see cref="Default"/> is what a dashboard command applies, tuned so the fault shows plainly in one trace.
/// </summary>
public sealed record FaultCatalogueEntry(
    FaultKind Kind,
    string Service,
    string Title,
    string Mechanism,
    FaultUnit Unit,
    double MinAmount,
    double MaxAmount,
    FaultTargetKind TargetKind,
    bool CountsAttempts,
    FaultSpec Default,
    bool IsSwitchable = true)
{
    public string UnitName => Unit switch
    {
        FaultUnit.Milliseconds => "milliseconds",
        FaultUnit.Connections => "connections",
        _ => "nothing",
    };
}

/// <summary>
/// Every fault the application can inject, in one table: the validation, the control endpoints, the dashboard
/// commands and docs/faults.md all read it, so a kind cannot be switchable in one place and unknown in another.
/// </summary>
public static class FaultCatalogue
{
    public static class Services
    {
        public const string Api = "api";
        public const string Web = "web";
        public const string Payments = "payments";
    }

    private const double Minute = 60_000;

    public static IReadOnlyList<FaultCatalogueEntry> Entries { get; } =
    [
        new(FaultKind.SlowProvider, Services.Payments, "Slow payment provider",
            "the stand-in provider waits Amount ms before it answers.",
            FaultUnit.Milliseconds, 1, Minute, FaultTargetKind.None, CountsAttempts: true,
            new FaultSpec(FaultKind.SlowProvider, Services.Payments, Amount: 1500)),
        new(FaultKind.ProviderErrors, Services.Payments, "Payment provider errors",
            "the stand-in provider answers 500 api_error, before charging; the Api retries with the same idempotency key.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: true,
            new FaultSpec(FaultKind.ProviderErrors, Services.Payments, Attempts: 2)),
        new(FaultKind.ProviderTimeout, Services.Payments, "Payment provider times out",
            "the stand-in provider charges, then holds its answer Amount ms, past the Api's 5 s attempt timeout.",
            FaultUnit.Milliseconds, 1, Minute, FaultTargetKind.None, CountsAttempts: true,
            new FaultSpec(FaultKind.ProviderTimeout, Services.Payments, Amount: 8000, Attempts: 1)),
        new(FaultKind.ProviderUnreachable, Services.Api, "Payment provider unreachable",
            "the Api's payment client sends each attempt to a local port nothing listens on: connection refused.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.ProviderUnreachable, Services.Api)),
        new(FaultKind.SlowQuery, Services.Api, "Slow query",
            "each statement on Target runs after a SELECT pg_sleep(Amount) on the same connection and transaction.",
            FaultUnit.Milliseconds, 1, Minute / 2, FaultTargetKind.Table, CountsAttempts: false,
            new FaultSpec(FaultKind.SlowQuery, Services.Api, Target: "orders", Amount: 500)),
        new(FaultKind.MissingIndex, Services.Api, "Missing index",
            "DROP INDEX ix_orders_tenant_id_created_at (CREATE INDEX when off): a large tenant's listing scans and sorts.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.MissingIndex, Services.Api)),
        new(FaultKind.RowLock, Services.Api, "Row lock held",
            "before the Api updates an order, another transaction takes SELECT ... FOR UPDATE on its row and commits Amount ms later.",
            FaultUnit.Milliseconds, 1, Minute / 2, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.RowLock, Services.Api, Amount: 2000)),
        new(FaultKind.PoolExhausted, Services.Api, "Connection pool exhausted",
            "Amount connections of the Api's own pool (0: all of Max Pool Size) are opened and held until the fault is off.",
            FaultUnit.Connections, 0, 1000, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.PoolExhausted, Services.Api)),
        new(FaultKind.NPlusOne, Services.Api, "N+1 queries",
            "the orders-with-items listing runs its naive variant: one query for the orders, then one per order for its items.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.NPlusOne, Services.Api)),
        new(FaultKind.CpuBound, Services.Api, "CPU-bound work in the Api",
            "a request to Target spins on the CPU for Amount ms inside the Api's server span, under no child span.",
            FaultUnit.Milliseconds, 1, 10_000, FaultTargetKind.Route, CountsAttempts: false,
            new FaultSpec(FaultKind.CpuBound, Services.Api, Target: "POST /api/orders", Amount: 300)),
        new(FaultKind.SlowWebStep, Services.Web, "Slow step in Web",
            "a request to Target waits Amount ms in Web's own pipeline before its page runs.",
            FaultUnit.Milliseconds, 1, Minute / 2, FaultTargetKind.Route, CountsAttempts: false,
            new FaultSpec(FaultKind.SlowWebStep, Services.Web, Target: "/orders", Amount: 800)),
        new(FaultKind.DeepException, Services.Api, "Exception deep in the Api",
            "an InvalidOperationException is thrown as a statement on Target is about to run, below EF Core and the order services.",
            FaultUnit.None, 0, 0, FaultTargetKind.Table, CountsAttempts: false,
            new FaultSpec(FaultKind.DeepException, Services.Api, Target: "orders")),
        new(FaultKind.CacheUnavailable, Services.Api, "Cache unavailable",
            "the order cache sends its commands through a connection of its own to a local port nothing listens on: StackExchange.Redis fails fast, each cache command is a span in error, and reads come from the database.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.CacheUnavailable, Services.Api)),
        new(FaultKind.DatabaseDown, Services.Api, "Database down",
            "every connection the Api opens goes to a local port nothing listens on: Npgsql's own connection refused, retried, then 503.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.DatabaseDown, Services.Api)),
        new(FaultKind.ColdStart, Services.Api, "First request after start",
            "restart the service (the dashboard's Restart command) and send the first request.",
            FaultUnit.None, 0, 0, FaultTargetKind.None, CountsAttempts: false,
            new FaultSpec(FaultKind.ColdStart, Services.Api), IsSwitchable: false),
    ];

    private static readonly FrozenDictionary<FaultKind, FaultCatalogueEntry> ByKind = Entries.ToFrozenDictionary(entry => entry.Kind);

    public static FaultCatalogueEntry Of(FaultKind kind) => ByKind[kind];

    /// <summary>The switchable kinds a service injects, as the dashboard lists its commands.</summary>
    public static IEnumerable<FaultCatalogueEntry> Of(string service) =>
        Entries.Where(entry => entry.IsSwitchable && entry.Service == service);
}
