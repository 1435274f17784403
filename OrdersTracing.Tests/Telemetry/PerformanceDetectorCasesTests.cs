using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// Every detector's cases, from its definition, through both paths: played as live spans through the service's span
/// processors (the findings they record on the root span) and analysed as the stored trace the Trace doctor reads. Both
/// must find the same thing, and what the case expects.
/// </summary>
public sealed class PerformanceDetectorCasesTests
{
    private const string Orders = "SELECT id FROM orders WHERE customer_id = 7";
    private const string Items = "SELECT * FROM order_items WHERE order_id = @p0";
    private const string Payments = "SELECT * FROM payments WHERE order_id = @p0";
    private const string PaymentUrl = "http://payments/api/payments/pi_{0}";

    public static TheoryData<string> Cases => [.. DetectorCases.All.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Both_paths_find_what_the_case_expects(string name)
    {
        var (script, expected) = DetectorCases.All[name]();
        await using var telemetry = TelemetryTestHost.Create();
        await telemetry.StartAsync();

        script.Play(telemetry.Source);
        var trace = ExportedTrace.Of(telemetry.ExportedSpans, (string)telemetry.ResourceAttributes["service.name"]);
        var live = StoredTraceDetection.LiveFindings(trace);
        var stored = StoredTraceDetection.Find(trace);

        Assert.Equal(expected, stored.Select(finding => (finding.Kind, finding.Count)).ToArray());
        Assert.Equal(stored.Select(Comparable).ToList(), live.Select(Comparable).ToList());
    }

    [Fact]
    public async Task A_redis_command_is_never_a_query_of_an_N_plus_one()
    {
        var script = new SpanScript();
        script.Query(Orders, 0, 5);
        for (var i = 0; i < 10; i++)
        {
            script.Redis($"GET order:{i}", 10 + i * 20, 15);
        }

        await using var telemetry = TelemetryTestHost.Create();
        await telemetry.StartAsync();

        script.Play(telemetry.Source);

        var trace = ExportedTrace.Of(telemetry.ExportedSpans, "tests");
        Assert.Empty(StoredTraceDetection.LiveFindings(trace));
        Assert.Empty(StoredTraceDetection.Find(trace));
    }

    /// <summary>What both paths must agree on; the critical-path cost is the doctor's alone, which sees the whole trace.</summary>
    private static string Comparable(Finding finding) =>
        $"{finding.Kind} {finding.Service} {finding.Subject} ×{finding.Count} {finding.TotalDuration.Ticks} "
        + $"[{string.Join(",", finding.EvidenceSpanIds)}] source={finding.SourceSpanId} parent={finding.ParentSpanId} saved={finding.TimeSaved?.Ticks}";

    /// <summary>The cases, by name: a script of spans and the findings (kind, count) it must produce, in the engine's order.</summary>
    private static class DetectorCases
    {
        public static readonly Dictionary<string, Func<(SpanScript, (FindingKind, int)[])>> All = new()
        {
            // N+1 DB: n_plus_one_db_span_detector.py, count >= 5, total >= 50 ms.
            ["n+1 db: a source then five repeats of 10 ms, 50 ms in all, is found"] = () => (NPlusOne(5, 10), [(FindingKind.NPlusOneDb, 5)]),
            ["n+1 db: four repeats are not enough"] = () => (NPlusOne(4, 20), []),
            ["n+1 db: five repeats of 9.8 ms, 49 ms in all, are too fast"] = () => (NPlusOne(5, 9.8), []),
            ["n+1 db: repeats without a different source query are none"] = () => (Repeat(new SpanScript(), Items, 6, 0, 20), []),
            ["n+1 db: a span that is not a query ends the run"] = () =>
            {
                var script = new SpanScript();
                script.Query(Orders, 0, 5);
                Repeat(script, Items, 3, 10, 20);
                script.Span("price lookup", 75, 5);
                Repeat(script, Items, 3, 85, 20);
                return (script, []);
            },
            ["n+1 db: a cache command ends the run"] = () =>
            {
                var script = new SpanScript();
                script.Query(Orders, 0, 5);
                Repeat(script, Items, 3, 10, 20);
                script.Redis("GET order:1", 75, 2);
                Repeat(script, Items, 3, 80, 20);
                return (script, []);
            },
            ["n+1 db: a cache command can be the source (departure)"] = () =>
            {
                var script = new SpanScript();
                script.Redis("GET orders:page:1", 0, 2);
                Repeat(script, Items, 5, 5, 20);
                return (script, [(FindingKind.NPlusOneDb, 5)]);
            },
            ["n+1 db: a query under another parent ends the run"] = () =>
            {
                var script = new SpanScript();
                var list = script.Span("orders.list", 0, 200);
                script.Query(Orders, 1, 5, list);
                Repeat(script, Items, 3, 10, 20, list);
                script.Query(Items, 75, 20);
                Repeat(script, Items, 2, 100, 20, list);
                return (script, []);
            },
            ["n+1 db: overlapping repeats continue the run, their time counted once"] = () =>
            {
                var script = new SpanScript();
                script.Query(Orders, 0, 5);
                for (var i = 0; i < 5; i++)
                {
                    script.Query(Items, 10 + i * 10, 20);
                }

                return (script, [(FindingKind.NPlusOneDb, 5)]);
            },
            ["n+1 db: repeats under a nested span are found under it"] = () =>
            {
                var script = new SpanScript();
                var handler = script.Span("orders.list_with_items", 0, 500);
                var inner = script.Span("orders.load", 1, 400, handler);
                script.Query(Orders, 2, 5, inner);
                Repeat(script, Items, 5, 10, 20, inner);
                return (script, [(FindingKind.NPlusOneDb, 5)]);
            },
            ["n+1 db: a connection open between the repeats does not end the run (departure)"] = () =>
            {
                var script = NPlusOne(3, 20);
                script.Connect(80, 30);
                Repeat(script, Items, 2, 115, 20);
                return (script, [(FindingKind.NPlusOneDb, 5)]);
            },

            // Slow DB query: slow_db_query.duration_threshold 500 ms.
            ["slow query: 500 ms is slow"] = () => (Single(script => script.Query("SELECT * FROM orders WHERE customer_email = 'a'", 0, 500)), [(FindingKind.SlowDbQuery, 1)]),
            ["slow query: 499 ms is not"] = () => (Single(script => script.Query("SELECT * FROM orders WHERE customer_email = 'a'", 0, 499)), []),
            ["slow query: a write counts too (departure)"] = () => (Single(script => script.Query("UPDATE orders SET status = 'paid' WHERE id = 1", 0, 600)), [(FindingKind.SlowDbQuery, 1)]),
            ["slow query: a slow cache command is no slow query"] = () => (Single(script => script.Redis("GET orders:1", 0, 600)), []),

            // N+1 HTTP: n_plus_one_api_calls_detector.py, count 10, total_duration 300 ms, concurrency_threshold 5 ms.
            ["n+1 http: ten calls of 30 ms one right after another, 300 ms, are found (departure: sequential)"] = () => (HttpLoop(10, 30, 0), [(FindingKind.NPlusOneHttp, 10)]),
            ["n+1 http: nine calls are not enough"] = () => (HttpLoop(9, 40, 0), []),
            ["n+1 http: ten calls of 29 ms are too fast"] = () => (HttpLoop(10, 29, 0), []),
            ["n+1 http: a gap of 5 ms after a call ends the run"] = () => (HttpLoop(10, 40, 5), []),
            ["n+1 http: ten calls fired together are found"] = () =>
            {
                var script = new SpanScript();
                for (var i = 0; i < 10; i++)
                {
                    script.Http("GET", string.Format(PaymentUrl, i), i * 0.5, 300);
                }

                return (script, [(FindingKind.NPlusOneHttp, 10)]);
            },
            ["n+1 http: a URL without an id is not reported"] = () =>
            {
                var script = new SpanScript();
                for (var i = 0; i < 10; i++)
                {
                    script.Http("GET", "http://payments/api/status", i * 40, 40);
                }

                return (script, []);
            },

            // Consecutive DB: consecutive_db_detector.py, count 2, span_duration_threshold 30 ms, min_time_saved 100 ms, ratio 0.1.
            ["consecutive db: independent aggregates one after another are found with the time saved"] = () => (Aggregates(60), [(FindingKind.ConsecutiveDb, 3)]),
            ["consecutive db: queries of 30 ms are too short"] = () => (Aggregates(30), []),
            ["consecutive db: queries with a WHERE and a parameter depend on each other"] = () =>
            {
                var script = new SpanScript();
                script.Query("SELECT count(*) FROM orders WHERE tenant_id = @tenant", 0, 60);
                script.Query("SELECT sum(total) FROM orders WHERE tenant_id = @tenant", 60, 60);
                script.Query("SELECT max(created_at) FROM orders WHERE tenant_id = @tenant", 120, 60);
                return (script, []);
            },
            ["consecutive db: an overlapping query ends the run"] = () =>
            {
                var script = new SpanScript();
                script.Query("SELECT count(*) FROM orders", 0, 60);
                script.Query("SELECT count(*) FROM payments", 50, 60);
                script.Query("SELECT count(*) FROM order_items", 110, 60);
                return (script, []);
            },

            // Consecutive HTTP: consecutive_http.* count 3, span_duration 500 ms, max_duration_between_spans 500 ms, min_time_saved 2000 ms.
            ["consecutive http: three calls of 1 s one after another are found"] = () => (SlowCalls(1000, 10), [(FindingKind.ConsecutiveHttp, 3)]),
            ["consecutive http: three calls of 900 ms would save too little"] = () => (SlowCalls(900, 10), []),
            ["consecutive http: 500 ms between calls is too long"] = () => (SlowCalls(1000, 500), []),

            // MN+1: mn_plus_one_db_span_detector.py, minimum_occurrences_of_pattern 3, total_duration_threshold 100 ms.
            ["mn+1: items then payments for three orders are found"] = () => (Sequence(3, 20), [(FindingKind.MNPlusOneDb, 3)]),
            ["mn+1: two repetitions are not enough"] = () => (Sequence(2, 30), []),
            ["mn+1: three repetitions under 100 ms are too fast"] = () => (Sequence(3, 16), []),

            // Large payload: large_http_payload.size_threshold 300 000 bytes.
            ["large payload: a response of 300 001 bytes is large"] = () =>
                (Single(script => script.Http("GET", "http://api/api/orders/export", 0, 50, responseBodySize: 300_001)), [(FindingKind.LargeHttpPayload, 1)]),
            ["large payload: 300 000 bytes is not"] = () =>
                (Single(script => script.Http("GET", "http://api/api/orders/export", 0, 50, responseBodySize: 300_000)), []),
            ["large payload: the service's own response counts (departure)"] = () =>
                (new SpanScript(100, ("http.response.body.size", 1_000_000L)), [(FindingKind.LargeHttpPayload, 1)]),
        };

        private static SpanScript NPlusOne(int repeats, double milliseconds)
        {
            var script = new SpanScript();
            script.Query(Orders, 0, 5);
            return Repeat(script, Items, repeats, 10, milliseconds);
        }

        private static SpanScript Repeat(SpanScript script, string statement, int times, double fromMs, double milliseconds, SpanScript.Planned? parent = null)
        {
            for (var i = 0; i < times; i++)
            {
                script.Query(statement, fromMs + i * milliseconds, milliseconds, parent);
            }

            return script;
        }

        private static SpanScript Single(Action<SpanScript> add)
        {
            var script = new SpanScript();
            add(script);
            return script;
        }

        private static SpanScript HttpLoop(int calls, double milliseconds, double gapMs)
        {
            var script = new SpanScript();
            for (var i = 0; i < calls; i++)
            {
                script.Http("GET", string.Format(PaymentUrl, 1000 + i), i * (milliseconds + gapMs), milliseconds);
            }

            return script;
        }

        private static SpanScript Aggregates(double milliseconds)
        {
            var script = new SpanScript();
            script.Query("SELECT count(*) FROM orders", 0, milliseconds);
            script.Query("SELECT sum(total) FROM orders", milliseconds, milliseconds);
            script.Query("SELECT count(*) FROM payments", 2 * milliseconds, milliseconds);
            return script;
        }

        private static SpanScript SlowCalls(double milliseconds, double gapMs)
        {
            var script = new SpanScript(20_000);
            string[] urls = ["http://payments/api/rates", "http://payments/api/limits", "http://payments/api/fees"];
            for (var i = 0; i < urls.Length; i++)
            {
                script.Http("GET", urls[i], i * (milliseconds + gapMs), milliseconds);
            }

            return script;
        }

        private static SpanScript Sequence(int orders, double milliseconds)
        {
            var script = new SpanScript();
            var list = script.Span("orders.list", 0, 1000);
            for (var i = 0; i < orders; i++)
            {
                script.Query(Items, 1 + i * 2 * milliseconds, milliseconds, list);
                script.Query(Payments, 1 + (i * 2 + 1) * milliseconds, milliseconds, list);
            }

            return script;
        }
    }
}
