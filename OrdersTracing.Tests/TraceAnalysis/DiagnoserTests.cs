using System.ComponentModel.DataAnnotations;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

/// <summary>
/// The diagnosis of hand-built traces shaped as the services' real ones (Web's page, its call to the Api, the Api's
/// spans, Npgsql's statements, the provider's server span), one per kind of cause of the fault catalogue.
/// </summary>
public sealed class DiagnoserTests
{
    private const string Insert = "INSERT INTO orders (id, tenant_id, total) VALUES ($1, $2, $3)";
    private const string Update = "UPDATE orders SET payment_status = $1 WHERE id = $2";

    [Fact]
    public void A_healthy_synchronous_order_has_no_cause()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 60);
        order.Finish();

        var causes = Diagnoser.Diagnose(order.Spans);

        Assert.Empty(causes);
    }

    [Fact]
    public void A_healthy_listing_with_fast_statements_and_a_cache_hit_has_no_cause()
    {
        var trace = new TraceBuilder();
        var server = trace.Span("GET /api/orders/{id}", 0, 12, service: "api", kind: TraceSpanKind.Server);
        var get = trace.Span("orders.get", 1, 10, server);
        trace.Span("GET", 2, 1, get, kind: TraceSpanKind.Client, attributes: [("db.system.name", "redis")]);
        trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", 4, 3, get);

        var causes = Diagnoser.Diagnose(trace.Spans);

        Assert.Empty(causes);
    }

    [Fact]
    public void Time_under_no_child_is_charged_to_the_span_whose_own_time_it_is_not_to_its_ancestors()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 60);
        order.Finish(apiOwnTimeBefore: 600);

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));

        Assert.Equal((CauseKind.UninstrumentedWork, "api", order.ApiServer.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.InRange(cause.CriticalPathCost.TotalMilliseconds, 600, 605);
        Assert.Equal("add a span around the work in this span to see what it is", cause.Remedy);
    }

    [Fact]
    public void A_slow_provider_is_the_providers_own_server_span_with_no_advice()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 1500);
        order.Finish();

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));

        Assert.Equal((CauseKind.SlowDependency, "payments", "POST /payment_intents"), (cause.Kind, cause.Service, cause.SpanName));
        Assert.InRange(cause.ShareOfRequest, 0.9, 1);
        Assert.Null(cause.Remedy);
        Assert.False(cause.IsError);
    }

    [Fact]
    public void Provider_errors_retried_are_one_cause_at_the_provider_costing_the_failed_attempts_and_the_backoff()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 40, status: 500);
        order.Charge(order.ChargeStart + 40 + 200, 40, status: 500, resend: 1);
        order.Charge(order.ChargeStart + 40 + 200 + 40 + 400, 60, resend: 2);
        order.Finish();

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));

        Assert.Equal((CauseKind.DependencyErrors, "payments", order.Attempts[0].Server!.SpanId, true), (cause.Kind, cause.Service, cause.SpanId, cause.IsError));
        Assert.Equal(TimeSpan.FromMilliseconds(40 + 200 + 40 + 400), cause.CriticalPathCost);
        Assert.Equal("2 calls to payments answered 500, then a retry succeeded", cause.Explanation);
    }

    [Fact]
    public void Nested_retries_with_backoff_are_charged_to_the_innermost_failure_with_both_backoffs()
    {
        var trace = new TraceBuilder();
        var page = trace.Span("POST /orders/new", 0, 1000, service: "web", kind: TraceSpanKind.Server);
        var firstCall = trace.Fail(trace.Span("POST", 5, 300, page, kind: TraceSpanKind.Client, attributes: [("http.request.method", "POST"), ("http.response.status_code", "502")]));
        var firstApi = trace.Fail(trace.Span("POST /api/orders", 6, 298, firstCall, service: "api", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "502")]));
        var charge = trace.Fail(trace.Span("payments.create_intent", 10, 290, firstApi), "System.Net.Http.HttpRequestException", "500 api_error");
        var failures = new List<TraceSpan>();
        foreach (var start in new[] { 11.0, 150.0 })
        {
            var attempt = trace.Fail(trace.Span("POST", start, 40, charge, kind: TraceSpanKind.Client, attributes: [("http.request.method", "POST"), ("http.response.status_code", "500")]));
            failures.Add(trace.Fail(trace.Span("POST /payment_intents", start + 2, 36, attempt, service: "payments", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "500")])));
        }

        var secondCall = trace.Span("POST", 700, 290, page, kind: TraceSpanKind.Client, attributes: [("http.request.method", "POST"), ("http.response.status_code", "201")]);
        var secondApi = trace.Span("POST /api/orders", 701, 288, secondCall, service: "api", kind: TraceSpanKind.Server);
        var call = trace.Span("POST", 705, 60, secondApi, kind: TraceSpanKind.Client, attributes: [("http.request.method", "POST"), ("http.response.status_code", "200")]);
        trace.Span("POST /payment_intents", 706, 58, call, service: "payments", kind: TraceSpanKind.Server);

        var causes = Diagnoser.Diagnose(trace.Spans);

        var cause = causes[0];
        Assert.Equal((CauseKind.DependencyErrors, "payments", failures[0].SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.Equal(failures.Select(span => span.SpanId), cause.EvidenceSpanIds.Where(id => failures.Any(span => span.SpanId == id)));
        Assert.Equal(TimeSpan.FromMilliseconds(700 - 5), cause.CriticalPathCost);
        Assert.DoesNotContain(causes, other => other.Service == "web");
    }

    [Fact]
    public void An_error_rethrown_through_three_services_is_charged_to_the_first_not_to_the_ancestors_that_report_it()
    {
        var trace = new TraceBuilder();
        var page = trace.Fail(trace.Span("POST /orders/new", 0, 100, service: "web", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "500")]),
            "System.Net.Http.HttpRequestException", "Response status code does not indicate success: 500");
        var webCall = trace.Fail(trace.Span("POST", 2, 95, page, kind: TraceSpanKind.Client, attributes: [("http.request.method", "POST"), ("http.response.status_code", "500")]));
        var api = trace.Fail(trace.Span("POST /api/orders", 3, 93, webCall, service: "api", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "500")]),
            "System.Net.Http.HttpRequestException", "Response status code does not indicate success: 500");
        var apiCall = trace.Fail(trace.Span("POST", 5, 80, api, kind: TraceSpanKind.Client, attributes: [("http.request.method", "POST"), ("http.response.status_code", "500")]));
        var provider = trace.Fail(trace.Span("POST /payment_intents", 6, 78, apiCall, service: "payments", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "500")]),
            "System.InvalidOperationException", "The charge ledger is closed");
        var thrower = trace.Fail(trace.Span("ledger.append", 10, 20, provider), "System.InvalidOperationException", "The charge ledger is closed");

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.Exception, "payments", thrower.SpanId, true), (cause.Kind, cause.Service, cause.SpanId, cause.IsError));
        Assert.Equal("System.InvalidOperationException: The charge ledger is closed", cause.Explanation);
        Assert.Null(cause.Remedy);
    }

    [Fact]
    public void A_provider_timeout_is_the_provider_still_working_when_the_caller_cut_the_attempt()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 5000, status: null, serverDurationMs: 8000, errorType: "Polly.Timeout.TimeoutRejectedException");
        order.Charge(order.ChargeStart + 5000 + 300, 30, resend: 1);
        order.Finish();

        var cause = Diagnoser.Diagnose(order.Spans)[0];

        Assert.Equal((CauseKind.DependencyTimeout, "payments", order.Attempts[0].Server!.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.InRange(cause.ShareOfRequest, 0.9, 1);
    }

    [Fact]
    public void An_unreachable_provider_is_the_api_s_refused_calls_not_the_payment_failure_the_order_reports()
    {
        var order = new OrderTrace(status: 502);
        for (var i = 0; i < 4; i++)
        {
            order.Charge(order.ChargeStart + i * 100, 2, status: null, errorType: "connection_error", address: "127.0.0.1", reached: false);
        }

        order.Finish(paymentFailed: true);

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));
        var attempts = order.Attempts.Select(attempt => attempt.Call).ToList();

        Assert.Equal((CauseKind.DependencyUnreachable, "api", attempts[0].SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.Equal(attempts.Select(span => span.SpanId), cause.EvidenceSpanIds);
        Assert.StartsWith("4 calls to 127.0.0.1 reached no server", cause.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payment_the_open_circuit_never_sent_is_the_circuit_open_not_an_exception()
    {
        var trace = new TraceBuilder();
        var server = trace.Fail(trace.Span("POST /api/orders", 0, 12, service: "api", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "502")]));
        var create = trace.Fail(trace.Span("orders.create", 1, 10, server));
        trace.Query(Insert, 2, 3, create);
        var charge = trace.Fail(trace.Span("payments.create_intent", 6, 1, create), "payment_failed",
            "Payment for order 1 failed (Unavailable): The payment provider could not be reached: The circuit is now open and is not allowing calls.");

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.CircuitOpen, "api", charge.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.StartsWith("1 call not sent: the circuit breaker was open", cause.Explanation, StringComparison.Ordinal);
        Assert.Contains("traces just before", cause.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declined_card_is_an_answer_not_a_cause()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 50, status: 402);
        order.Finish(paymentFailed: true);

        var causes = Diagnoser.Diagnose(order.Spans);

        Assert.Empty(causes);
    }

    [Fact]
    public void A_pg_sleep_before_the_listing_is_a_slow_query_carrying_the_detectors_finding()
    {
        var (trace, list) = Listing(600);
        var sleep = trace.Query("SELECT pg_sleep(0.5)", 5, 500, list);
        trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1 ORDER BY o.created_at DESC LIMIT $2", 506, 3, list);

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.SlowQuery, "api", sleep.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.Equal(FindingKind.SlowDbQuery, cause.Finding?.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(500), cause.CriticalPathCost);
    }

    [Fact]
    public void A_large_tenants_listing_without_its_index_is_a_slow_query_below_the_detectors_threshold()
    {
        var (trace, list) = Listing(60);
        var scan = trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1 ORDER BY o.created_at DESC LIMIT $2", 6, 48, list);

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.SlowQuery, "api", scan.SpanId, null), (cause.Kind, cause.Service, cause.SpanId, cause.Finding));
        Assert.Equal(TimeSpan.FromMilliseconds(48), cause.CriticalPathCost);
    }

    [Fact]
    public void An_update_that_waits_while_the_reads_are_fast_is_a_lock_wait()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 60);
        order.Finish(updateMs: 2000);

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));

        Assert.Equal((CauseKind.LockWait, "api", order.UpdateSpan!.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.Contains("pg_locks", cause.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_connection_open_is_a_wait_for_the_pool()
    {
        var (trace, list) = Listing(3020);
        var open = trace.Span("db.connection.open", 2, 3000, list,
            attributes: [("db.system.name", "postgresql"), ("db.client.connection.pool.name", "Host=localhost;Database=ordersdb")]);
        trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", 3003, 3, list);

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.ConnectionPoolWait, "api", open.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.Equal("3,000 ms waiting to open a connection from pool Host=localhost;Database=ordersdb", cause.Explanation);
    }

    [Fact]
    public void Failed_connection_opens_are_the_database_unavailable_not_the_503_that_reports_them()
    {
        var trace = new TraceBuilder();
        var server = trace.Fail(trace.Span("GET /api/orders", 0, 610, service: "api", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "503")]));
        var list = trace.Span("orders.list", 1, 607, server);
        var opens = new List<TraceSpan>();
        foreach (var start in new[] { 2.0, 300.0, 600.0 })
        {
            opens.Add(trace.Fail(trace.Span("db.connection.open", start, 3, list, attributes: [("db.system.name", "postgresql")]),
                "Npgsql.NpgsqlException", "Failed to connect to 127.0.0.1:1"));
        }

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.DatabaseUnavailable, "api", opens[0].SpanId, true), (cause.Kind, cause.Service, cause.SpanId, cause.IsError));
        Assert.Equal(opens.Select(span => span.SpanId), cause.EvidenceSpanIds);
    }

    [Fact]
    public void An_n_plus_one_is_the_detectors_finding_ranked_as_a_cause()
    {
        var (trace, list) = Listing(200);
        trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", 2, 3, list);
        for (var i = 0; i < 12; i++)
        {
            trace.Query("SELECT i.sku FROM order_items AS i WHERE i.order_id = $1", 6 + i * 15, 14, list);
        }

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.Detected, "api", list.SpanId, FindingKind.NPlusOneDb), (cause.Kind, cause.Service, cause.SpanId, cause.Finding?.Kind));
        Assert.Equal("load them in one query with eager loading", cause.Remedy);
        Assert.Equal(TimeSpan.FromMilliseconds(12 * 14), cause.CriticalPathCost);
    }

    [Fact]
    public void A_slow_step_in_web_before_its_call_is_webs_own_uninstrumented_work()
    {
        var trace = new TraceBuilder();
        var page = trace.Span("GET /orders", 0, 830, service: "web", kind: TraceSpanKind.Server);
        var call = trace.Span("GET", 805, 22, page, kind: TraceSpanKind.Client, attributes: [("http.request.method", "GET"), ("http.response.status_code", "200")]);
        var api = trace.Span("GET /api/orders", 806, 20, call, service: "api", kind: TraceSpanKind.Server);
        var list = trace.Span("orders.list", 807, 18, api);
        trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", 808, 3, list);

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.UninstrumentedWork, "web", page.SpanId), (cause.Kind, cause.Service, cause.SpanId));
    }

    [Fact]
    public void An_exception_deep_in_the_api_is_charged_to_the_span_that_threw()
    {
        var order = new OrderTrace(status: 500);
        order.Finish(insertThrows: true);

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));

        Assert.Equal((CauseKind.Exception, "api", "orders.create"), (cause.Kind, cause.Service, cause.SpanName));
        Assert.StartsWith("System.InvalidOperationException", cause.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "redis")]
    [InlineData("cache.get", null)]
    public void A_failing_cache_while_the_request_is_served_from_the_database_is_the_cache_unavailable(string name, string? system)
    {
        var trace = new TraceBuilder();
        var server = trace.Span("GET /api/orders/{id}", 0, 270, service: "api", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "200")]);
        var get = trace.Span("orders.get", 1, 268, server);
        var cache = trace.Fail(trace.Span(name, 2, 250, get, kind: TraceSpanKind.Client, attributes: system is null ? [] : [("db.system.name", system)]),
            "StackExchange.Redis.RedisConnectionException", "No connection is active/available to service this operation");
        trace.Query("SELECT o.id FROM orders AS o WHERE o.id = $1", 253, 3, get);

        var cause = Assert.Single(Diagnoser.Diagnose(trace.Spans));

        Assert.Equal((CauseKind.CacheUnavailable, "api", cache.SpanId), (cause.Kind, cause.Service, cause.SpanId));
    }

    [Fact]
    public void The_first_request_after_a_start_is_a_cold_start_with_its_first_connection()
    {
        var order = new OrderTrace(coldStart: true);
        order.Charge(order.ChargeStart, 60);
        order.Finish(apiOwnTimeBefore: 1800, connectionOpenMs: 40);

        var cause = Assert.Single(Diagnoser.Diagnose(order.Spans));

        Assert.Equal((CauseKind.ColdStart, "api", order.ApiServer.SpanId), (cause.Kind, cause.Service, cause.SpanId));
        Assert.InRange(cause.CriticalPathCost.TotalMilliseconds, 1840, 1880);
    }

    [Fact]
    public void Two_faults_in_one_trace_are_both_named_the_costlier_first()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 60);
        order.Finish(apiOwnTimeBefore: 300, sleepBeforeInsertMs: 600);

        var causes = Diagnoser.Diagnose(order.Spans);

        Assert.Equal([(CauseKind.SlowQuery, "api"), (CauseKind.UninstrumentedWork, "api")], causes.Select(cause => (cause.Kind, cause.Service)));
        Assert.True(causes[0].CriticalPathCost > causes[1].CriticalPathCost);
    }

    [Fact]
    public void An_error_comes_before_a_costlier_slow_query()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 40, status: 500);
        order.Charge(order.ChargeStart + 100, 60, resend: 1);
        order.Finish(sleepBeforeInsertMs: 800);

        var causes = Diagnoser.Diagnose(order.Spans);

        Assert.Equal([(CauseKind.DependencyErrors, "payments"), (CauseKind.SlowQuery, "api")], causes.Select(cause => (cause.Kind, cause.Service)));
        Assert.Equal(order.Attempts[0].Server!.SpanId, causes[0].SpanId);
    }

    [Fact]
    public void Own_time_that_is_a_small_share_of_a_long_request_is_no_cause()
    {
        var order = new OrderTrace();
        order.Charge(order.ChargeStart, 60);
        order.Finish(apiOwnTimeBefore: 120, sleepBeforeInsertMs: 0, apiOwnTimeAfter: 0);

        var causes = Diagnoser.Diagnose(order.Spans, null, new DiagnosisThresholds { MinimumShare = 0.8 });

        Assert.Empty(causes);
    }

    [Fact]
    public void A_route_diagnosis_names_the_cause_most_of_its_traces_share()
    {
        var traces = new List<IReadOnlyList<TraceSpan>>();
        foreach (var sleep in new[] { 0, 400, 500 })
        {
            var (trace, list) = Listing(sleep + 20);
            if (sleep > 0)
            {
                trace.Query("SELECT pg_sleep(0.5)", 5, sleep, list);
            }

            trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", sleep + 6, 3, list);
            traces.Add(trace.Spans);
        }

        var cause = Assert.Single(Diagnoser.DiagnoseRoute(traces));

        Assert.Equal((CauseKind.SlowQuery, "api"), (cause.Kind, cause.Service));
        Assert.StartsWith("in 2 of 3 traces", cause.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(DiagnosisThresholds.MinimumShare), "Tracing:Diagnosis:MinimumShare must be between 0 and 1.")]
    [InlineData(nameof(DiagnosisThresholds.MinimumStatementTime), "Tracing:Diagnosis:MinimumStatementTime must be between 1 ms and 1 day.")]
    public void Thresholds_out_of_range_are_refused_naming_the_setting(string setting, string message)
    {
        var thresholds = new DiagnosisThresholds();
        if (setting == nameof(DiagnosisThresholds.MinimumShare))
        {
            thresholds.MinimumShare = 1.5;
        }
        else
        {
            thresholds.MinimumStatementTime = TimeSpan.Zero;
        }

        var errors = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(thresholds, new ValidationContext(thresholds), errors, validateAllProperties: true);

        Assert.False(valid);
        Assert.Equal(message, Assert.Single(errors).ErrorMessage);
    }

    [Fact]
    public void A_200_span_trace_is_diagnosed_well_within_50_milliseconds()
    {
        var trace = LargeTrace();
        Diagnoser.Diagnose(trace);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Diagnoser.Diagnose(trace);

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(50), $"took {watch.Elapsed.TotalMilliseconds:F1} ms");
    }

    /// <summary>An Api listing: its server span and the <c>orders.list</c> span the statements go under.</summary>
    private static (TraceBuilder Trace, TraceSpan List) Listing(double durationMs)
    {
        var trace = new TraceBuilder();
        var server = trace.Span("GET /api/orders", 0, durationMs, service: "api", kind: TraceSpanKind.Server, attributes: [("http.response.status_code", "200")]);
        return (trace, trace.Span("orders.list", 1, durationMs - 2, server));
    }

    /// <summary>Web's page, the Api's listing under it with 190 statements, some of them an N+1, and the provider's calls.</summary>
    internal static IReadOnlyList<TraceSpan> LargeTrace()
    {
        var trace = new TraceBuilder();
        var page = trace.Span("GET /orders", 0, 1000, service: "web", kind: TraceSpanKind.Server);
        var call = trace.Span("GET", 2, 990, page, kind: TraceSpanKind.Client, attributes: [("http.request.method", "GET"), ("http.response.status_code", "200")]);
        var api = trace.Span("GET /api/orders/with-items", 3, 988, call, service: "api", kind: TraceSpanKind.Server);
        var list = trace.Span("orders.list_with_items", 4, 980, api);
        trace.Query("SELECT o.id FROM orders AS o WHERE o.tenant_id = $1", 5, 3, list);
        for (var i = 0; i < 190; i++)
        {
            trace.Query("SELECT i.sku FROM order_items AS i WHERE i.order_id = $1", 9 + i * 5, 4, list);
        }

        for (var i = 0; i < 3; i++)
        {
            var lookup = trace.Span("GET", 960 + i * 7, 6, list, kind: TraceSpanKind.Client, attributes: [("http.request.method", "GET"), ("http.response.status_code", "200")]);
            trace.Span("GET /payment_intents/{id}", 961 + i * 7, 4, lookup, service: "payments", kind: TraceSpanKind.Server);
        }

        return trace.Spans;
    }

    /// <summary>
    /// An order placed through the Api with its payment in the request: <c>orders.create</c>, its INSERT, the payment
    /// (<c>payments.create_intent</c> with a client span per attempt, each with the provider's server span under it when
    /// reached), and <c>orders.record_payment</c> with its UPDATE.
    /// </summary>
    private sealed class OrderTrace(int status = 201, bool coldStart = false)
    {
        private readonly TraceBuilder trace = new();
        private readonly List<(double Start, double Duration, int? Status, int Resend, double? ServerMs, string? ErrorType, string Address, bool Reached)> attempts = [];
        private readonly List<(TraceSpan Call, TraceSpan? Server)> built = [];

        public double ChargeStart => 20;

        public TraceSpan ApiServer { get; private set; } = null!;

        public TraceSpan? UpdateSpan { get; private set; }

        public IReadOnlyList<TraceSpan> Spans => trace.Spans;

        /// <summary>The payment's attempts as built by <see cref="Finish"/>: the Api's client span and the provider's server span under it.</summary>
        public IReadOnlyList<(TraceSpan Call, TraceSpan? Server)> Attempts => built;

        /// <summary>An attempt of the payment, times from the order's start; <see cref="Finish"/> builds it.</summary>
        public void Charge(double startMs, double durationMs, int? status = 200, int resend = 0,
            double? serverDurationMs = null, string? errorType = null, string address = "localhost", bool reached = true) =>
            attempts.Add((startMs, durationMs, status, resend, serverDurationMs, errorType, address, reached));

        public void Finish(double apiOwnTimeBefore = 0, double updateMs = 2, bool paymentFailed = false, bool insertThrows = false,
            double connectionOpenMs = 0, double sleepBeforeInsertMs = 0, double apiOwnTimeAfter = 2)
        {
            var shift = apiOwnTimeBefore + connectionOpenMs + sleepBeforeInsertMs;
            var chargeEnd = attempts.Count == 0 ? ChargeStart : attempts.Max(attempt => attempt.Start + attempt.Duration);
            var total = shift + chargeEnd + updateMs + 10 + apiOwnTimeAfter;
            var serverAttributes = new List<(string, string)> { ("http.response.status_code", status.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            if (coldStart)
            {
                serverAttributes.Add(("app.cold_start", "true"));
            }

            ApiServer = trace.Span("POST /api/orders", 0, total, service: "api", kind: TraceSpanKind.Server, attributes: [.. serverAttributes]);
            if (status >= 500)
            {
                ApiServer = trace.Fail(ApiServer);
            }

            var create = trace.Span("orders.create", apiOwnTimeBefore + 1, total - apiOwnTimeBefore - 2 - apiOwnTimeAfter, ApiServer);
            var at = apiOwnTimeBefore + 2;
            if (connectionOpenMs > 0)
            {
                trace.Span("db.connection.open", at, connectionOpenMs, create, attributes: [("db.system.name", "postgresql")]);
                at += connectionOpenMs + 0.1;
            }

            if (sleepBeforeInsertMs > 0)
            {
                trace.Query("SELECT pg_sleep(0.6)", at, sleepBeforeInsertMs, create);
                at += sleepBeforeInsertMs + 0.1;
            }

            if (insertThrows)
            {
                trace.Fail(create, "System.InvalidOperationException", "Injected fault: a statement on 'orders' was about to run");
                return;
            }

            trace.Query(Insert, at, 3, create);
            var offset = shift;
            if (attempts.Count > 0)
            {
                var charge = trace.Span("payments.create_intent", offset + ChargeStart - 1, chargeEnd - ChargeStart + 2, create);
                foreach (var attempt in attempts)
                {
                    var attributes = new List<(string, string)> { ("http.request.method", "POST"), ("server.address", attempt.Address) };
                    if (attempt.Status is { } code)
                    {
                        attributes.Add(("http.response.status_code", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    if (attempt.Resend > 0)
                    {
                        attributes.Add(("http.request.resend_count", attempt.Resend.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    if (attempt.ErrorType is { } errorType)
                    {
                        attributes.Add(("error.type", errorType));
                    }

                    var call = trace.Span("POST", offset + attempt.Start, attempt.Duration, charge, kind: TraceSpanKind.Client, attributes: [.. attributes]);
                    if (attempt.Status is null or >= 400)
                    {
                        call = trace.Fail(call);
                    }

                    TraceSpan? server = null;
                    if (attempt.Reached)
                    {
                        server = trace.Span("POST /payment_intents", offset + attempt.Start + 0.5, attempt.ServerMs ?? attempt.Duration - 1, call, service: "payments",
                            kind: TraceSpanKind.Server, attributes: [("http.response.status_code", (attempt.Status ?? 200).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                        if (attempt.Status >= 500)
                        {
                            server = trace.Fail(server);
                        }
                    }

                    built.Add((call, server));
                }
            }

            var record = trace.Span("orders.record_payment", offset + chargeEnd + 2, updateMs + 4, create);
            UpdateSpan = trace.Query(Update, offset + chargeEnd + 3, updateMs, record);
            if (paymentFailed)
            {
                trace.Fail(create, "OrdersTracing.Api.Payments.PaymentFailedException", "Payment for order 1 failed");
            }
        }
    }
}
