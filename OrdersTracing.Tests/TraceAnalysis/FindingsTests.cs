using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class FindingsTests
{
    [Fact]
    public void A_call_holding_most_of_the_request_is_no_detector_finding_the_diagnosis_names_it()
    {
        var trace = TraceBuilder.ReferenceOrderTrace();

        var findings = Findings.Of(trace);

        Assert.Empty(findings);
    }

    [Fact]
    public void A_request_whose_time_is_spent_in_its_own_service_gets_no_finding()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("POST /orders", 0, 400, kind: TraceSpanKind.Server);
        trace.Span("render", 10, 350, root);

        var findings = Findings.Of(trace.Spans);

        Assert.Empty(findings);
    }

    [Fact]
    public void An_n_plus_one_is_a_finding_with_its_count_statement_parent_duration_and_critical_path_cost()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 1000, service: "api", kind: TraceSpanKind.Server);
        var list = trace.Span("orders.list", 10, 500, root);
        trace.Query("SELECT id FROM orders WHERE customer_id = 7", 11, 20, list);
        for (var i = 0; i < 15; i++)
        {
            trace.Query($"SELECT * FROM order_items WHERE order_id = {i}", 40 + i * 20, i < 5 ? 14 : 13, list);
        }

        var findings = Findings.Of(trace.Spans);

        var nPlusOne = Assert.Single(findings);
        Assert.Equal((FindingKind.NPlusOneDb, 15, "SELECT * FROM order_items WHERE order_id = ?", list.SpanId), (nPlusOne.Kind, nPlusOne.Count, nPlusOne.Subject, nPlusOne.ParentSpanId));
        Assert.Equal((TimeSpan.FromMilliseconds(200), "load them in one query with eager loading"), (nPlusOne.TotalDuration, nPlusOne.Remedy));
        Assert.Equal(TimeSpan.FromMilliseconds(200), nPlusOne.CriticalPathCost);
    }

    [Fact]
    public void A_slow_query_is_a_finding_with_its_duration_and_the_index_advice()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 2100, service: "api", kind: TraceSpanKind.Server);
        trace.Query("SELECT * FROM orders WHERE customer_email = 'a@example.com'", 50, 2000, root);

        var findings = Findings.Of(trace.Spans);

        var slow = Assert.Single(findings);
        Assert.Equal((FindingKind.SlowDbQuery, "SELECT * FROM orders WHERE customer_email = ?"), (slow.Kind, slow.Subject));
        Assert.Equal((TimeSpan.FromMilliseconds(2000), "check the index on the filtered columns"), (slow.TotalDuration, slow.Remedy));
    }
}
