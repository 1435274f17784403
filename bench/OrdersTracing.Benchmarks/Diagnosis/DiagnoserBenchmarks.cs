using BenchmarkDotNet.Attributes;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Benchmarks.Diagnosis;

/// <summary>
/// What the Trace doctor's diagnosis costs for one trace of 200 spans, the size issue 13 budgets at 50 ms: Web's
/// page, its call to the Api, the Api's listing with an N+1 of 180 statements, a payment retried after the provider's
/// 500 and a slow statement, so every rule (errors, time, the detectors) has work to do; and the same trace healthy
/// (no error, every statement fast), where the diagnosis finds nothing. <c>dotnet run -c Release --project
/// bench/OrdersTracing.Benchmarks -- --filter '*DiagnoserBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class DiagnoserBenchmarks
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private IReadOnlyList<TraceSpan> trace = [];

    [Params(false, true)]
    public bool Faulty { get; set; }

    [GlobalSetup]
    public void Setup() => trace = Build(Faulty);

    [Benchmark]
    public int Diagnose() => Diagnoser.Diagnose(trace).Count;

    /// <summary>The trace, 200 spans.</summary>
    public static IReadOnlyList<TraceSpan> Build(bool faulty)
    {
        var spans = new List<TraceSpan>();
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var next = 0L;

        TraceSpan Add(string name, double start, double duration, TraceSpan? parent, string? service = null, TraceSpanKind kind = TraceSpanKind.Internal,
            bool failed = false, params (string Key, string Value)[] attributes)
        {
            var span = new TraceSpan(traceId, (++next).ToString("x16", System.Globalization.CultureInfo.InvariantCulture), parent?.SpanId, name, kind,
                service ?? parent?.Service ?? "web", Origin.AddMilliseconds(start), TimeSpan.FromMilliseconds(duration),
                attributes.ToDictionary(attribute => attribute.Key, attribute => attribute.Value),
                failed ? TraceSpanStatus.Error : TraceSpanStatus.Unset, null, [], []);
            spans.Add(span);
            return span;
        }

        TraceSpan Query(string statement, double start, double duration, TraceSpan parent) =>
            Add("postgresql", start, duration, parent, kind: TraceSpanKind.Client, attributes: [("db.system.name", "postgresql"), ("db.query.text", statement)]);

        var page = Add("GET /orders", 0, 2000, null, "web", TraceSpanKind.Server);
        var call = Add("GET", 2, 1990, page, kind: TraceSpanKind.Client, attributes: [("http.request.method", "GET"), ("http.response.status_code", "200")]);
        var api = Add("GET /api/orders/with-items", 3, 1988, call, "api", TraceSpanKind.Server);
        var list = Add("orders.list_with_items", 4, 1980, api);
        Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", 5, faulty ? 400 : 3, list);
        var at = faulty ? 406.0 : 9.0;
        var (each, gap) = faulty ? (5.0, 6.0) : (0.2, 0.3);
        for (var i = 0; i < 180; i++, at += gap)
        {
            Query("SELECT i.sku FROM order_items AS i WHERE i.order_id = $1", at, each, list);
        }

        var charge = Add("payments.create_intent", at + 1, 400, list);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var fails = faulty && attempt < 2;
            var status = fails ? "500" : "200";
            var client = Add("POST", at + 2 + attempt * 120, 100, charge, kind: TraceSpanKind.Client, failed: fails,
                attributes: [("http.request.method", "POST"), ("http.response.status_code", status), ("server.address", "localhost")]);
            Add("POST /payment_intents", at + 3 + attempt * 120, 98, client, "payments", TraceSpanKind.Server, fails, ("http.response.status_code", status));
        }

        at += 400;
        while (spans.Count < 200)
        {
            Add("orders.map", at += 1, 0.5, list);
        }

        // The envelopes end where their work does, so no span has own time the diagnosis would name.
        var fitted = new Dictionary<string, double> { [page.SpanId] = at + 6, [call.SpanId] = at + 4, [api.SpanId] = at + 3, [list.SpanId] = at + 2 };
        return [.. spans.Select(span => fitted.TryGetValue(span.SpanId, out var end) ? span with { Duration = Origin.AddMilliseconds(end) - span.Start } : span)];
    }
}
