using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class FindingsTests
{
    [Fact]
    public void The_stripe_call_of_the_reference_order_trace_is_named_with_its_71_percent_and_the_remedy()
    {
        var trace = TraceBuilder.ReferenceOrderTrace();

        var sentences = Findings.Describe(trace);

        Assert.Equal(["api.stripe.com: 71 % of the request; move it to the background"], sentences);
    }

    [Fact]
    public void A_request_whose_time_is_spent_in_its_own_service_gets_no_critical_path_sentence()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("POST /orders", 0, 400, kind: TraceSpanKind.Server);
        trace.Span("render", 10, 350, root);

        var sentences = Findings.Describe(trace.Spans);

        Assert.Empty(sentences);
    }

    [Fact]
    public void An_n_plus_one_group_is_described_with_its_count_statement_parent_and_duration()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 1000, service: "api", kind: TraceSpanKind.Server);
        var list = trace.Span("orders.list", 10, 500, root);
        trace.Query("SELECT id FROM orders WHERE customer_id = 7", 11, 20, list);
        for (var i = 0; i < 15; i++)
        {
            trace.Query($"SELECT * FROM order_items WHERE order_id = {i}", 40 + i * 20, i < 5 ? 14 : 13, list);
        }

        var sentences = Findings.Describe(trace.Spans);

        Assert.Equal(
            ["N+1: 15 queries `SELECT * FROM order_items WHERE order_id = ?` under `orders.list`, 200 ms; load them in one query with eager loading"],
            sentences);
    }

    [Fact]
    public void A_slow_query_is_described_with_its_duration_and_the_index_advice()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 2100, service: "api", kind: TraceSpanKind.Server);
        trace.Query("SELECT * FROM orders WHERE customer_email = 'a@example.com'", 50, 2000, root);

        var sentences = Findings.Describe(trace.Spans);

        Assert.Equal(["slow query (2 000 ms): `SELECT * FROM orders WHERE customer_email = ?`; check the index on the filtered columns"], sentences);
    }
}
