using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class DependencyGraphTests
{
    [Fact]
    public void Calls_across_traces_become_edges_from_web_to_api_to_postgresql_and_payments_with_the_error_on_the_payments_edge()
    {
        IReadOnlyList<TraceSpan>[] traces = [Order(paymentFails: false), Order(paymentFails: true), Order(paymentFails: false)];

        var graph = DependencyGraph.Build(traces);

        Assert.Equal(
            [
                new DependencyEdge("api", "payments", 3, 1),
                new DependencyEdge("api", "postgresql", 6, 0),
                new DependencyEdge("web", "api", 3, 0),
            ],
            graph.Edges);
        Assert.Equal(
            [
                new DependencyNode("api", DependencyNodeKind.Service),
                new DependencyNode("payments", DependencyNodeKind.Service),
                new DependencyNode("web", DependencyNodeKind.Service),
                new DependencyNode("postgresql", DependencyNodeKind.Database),
            ],
            graph.Nodes);
    }

    [Fact]
    public void A_client_call_without_a_server_span_in_the_trace_goes_to_its_server_address_and_a_5xx_counts_as_an_error()
    {
        var trace = new TraceBuilder();
        var api = trace.Span("POST /api/orders", 0, 400, service: "api", kind: TraceSpanKind.Server);
        trace.Span("POST", 10, 300, api, kind: TraceSpanKind.Client,
            attributes: [("server.address", "api.stripe.com"), ("http.response.status_code", "503")]);

        var graph = DependencyGraph.Build([trace.Spans]);

        Assert.Equal(new DependencyEdge("api", "api.stripe.com", 1, 1), Assert.Single(graph.Edges));
        Assert.Contains(new DependencyNode("api.stripe.com", DependencyNodeKind.External), graph.Nodes);
    }

    private static IReadOnlyList<TraceSpan> Order(bool paymentFails)
    {
        var trace = new TraceBuilder();
        var root = trace.Span("POST /orders", 0, 420, service: "web", kind: TraceSpanKind.Server);
        var callApi = trace.Span("POST", 5, 410, root, kind: TraceSpanKind.Client, attributes: [("http.response.status_code", "201")]);
        var api = trace.Span("POST /api/orders", 6, 400, callApi, service: "api", kind: TraceSpanKind.Server);
        trace.Query("INSERT INTO orders (id) VALUES ($1)", 10, 20, api);
        var callPayments = trace.Span("POST", 40, 300, api, kind: TraceSpanKind.Client);
        trace.Span("POST /payments", 41, 298, callPayments, service: "payments", kind: TraceSpanKind.Server,
            status: paymentFails ? TraceSpanStatus.Error : TraceSpanStatus.Unset);
        trace.Query("UPDATE orders SET status = $1 WHERE id = $2", 350, 20, api);
        return trace.Spans;
    }
}
