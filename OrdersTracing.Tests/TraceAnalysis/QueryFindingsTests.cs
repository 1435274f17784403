using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class QueryFindingsTests
{
    private const string ItemsByOrder = "SELECT * FROM order_items WHERE order_id = ?";

    [Fact]
    public void Five_sequential_item_queries_after_the_orders_query_are_an_n_plus_one_group()
    {
        var (trace, parent) = OrdersList(repeatedQueries: 5);

        var group = Assert.Single(QueryFindings.Find(trace).NPlusOne);

        Assert.Equal((5, ItemsByOrder, parent), (group.Count, group.Statement, group.Parent));
        Assert.Equal(TimeSpan.FromMilliseconds(75), group.TotalDuration);
        Assert.Equal("SELECT id FROM orders WHERE customer_id = ?", SqlNormalizer.Normalize(group.SourceQuery["db.query.text"]!));
    }

    [Fact]
    public void Four_repeated_queries_are_not_an_n_plus_one_group()
    {
        var (trace, _) = OrdersList(repeatedQueries: 4);

        var report = QueryFindings.Find(trace);

        Assert.Empty(report.NPlusOne);
    }

    [Fact]
    public void Repeated_queries_without_a_different_query_before_them_are_not_an_n_plus_one_group()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("orders.list", 0, 200);
        for (var i = 0; i < 6; i++)
        {
            trace.Query($"SELECT * FROM order_items WHERE order_id = {i}", 10 + i * 20, 15, parent);
        }

        var report = QueryFindings.Find(trace.Spans);

        Assert.Empty(report.NPlusOne);
    }

    [Fact]
    public void Repeated_queries_lasting_less_than_the_minimum_total_are_not_an_n_plus_one_group()
    {
        var (trace, _) = OrdersList(repeatedQueries: 5);

        var report = QueryFindings.Find(trace, minimumTotalDuration: TimeSpan.FromMilliseconds(100));

        Assert.Empty(report.NPlusOne);
    }

    [Fact]
    public void Literals_numbers_placeholders_and_in_lists_normalise_to_question_marks()
    {
        string[] statements =
        [
            "SELECT * FROM items WHERE order_id = $1 AND sku IN ($2, $3)",
            "SELECT * FROM items WHERE order_id = @p0 AND sku IN (@sku1, @sku2, @sku3)",
            "SELECT  *\nFROM items WHERE order_id = 42 AND sku IN ('a', 'b''c')",
            "SELECT * FROM items WHERE order_id = ? AND sku IN (?)",
        ];

        var shapes = statements.Select(SqlNormalizer.Normalize).Distinct();

        Assert.Equal(["SELECT * FROM items WHERE order_id = ? AND sku IN (?)"], shapes);
    }

    [Fact]
    public void A_query_is_slow_from_the_threshold_on()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 2000);
        var slow = trace.Query("SELECT * FROM orders WHERE customer_email = 'a@example.com'", 0, 500, root);
        trace.Query("SELECT * FROM orders WHERE id = 1", 600, 499, root);

        var report = QueryFindings.Find(trace.Spans);

        var finding = Assert.Single(report.SlowQueries);
        Assert.Equal((slow, "SELECT * FROM orders WHERE customer_email = ?"), (finding.Span, finding.Statement));
    }

    [Fact]
    public void Connection_opens_are_neither_queries_of_a_group_nor_slow_queries()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("orders.list", 0, 2000, service: "api");
        trace.Connect(0, 900, parent);
        trace.Query("SELECT id FROM orders WHERE customer_id = 7", 901, 10, parent);
        for (var i = 0; i < 5; i++)
        {
            if (i == 2)
            {
                trace.Connect(915 + i * 20, 2, parent);
            }

            trace.Query($"SELECT * FROM order_items WHERE order_id = {100 + i}", 920 + i * 20, 15, parent);
        }

        var report = QueryFindings.Find(trace.Spans);

        Assert.Equal(5, Assert.Single(report.NPlusOne).Count);
        Assert.Empty(report.SlowQueries);
    }

    [Fact]
    public void The_slow_query_threshold_can_be_lowered()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 200);
        trace.Query("SELECT * FROM orders", 0, 120, root);

        var report = QueryFindings.Find(trace.Spans, slowQueryThreshold: TimeSpan.FromMilliseconds(100));

        Assert.Single(report.SlowQueries);
    }

    [Fact]
    public void Marks_a_live_detector_put_on_the_root_span_are_reported()
    {
        var trace = new TraceBuilder();
        trace.Span("GET /orders", 0, 200, attributes:
            [("n_plus_one.detected", "true"), ("n_plus_one.count", "12"), ("n_plus_one.statement", ItemsByOrder)]);

        var mark = Assert.Single(QueryFindings.Find(trace.Spans).DetectorMarks);

        Assert.Equal((12, ItemsByOrder), (mark.Count, mark.Statement));
    }

    private static (IReadOnlyList<TraceSpan> Trace, TraceSpan Parent) OrdersList(int repeatedQueries)
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("orders.list", 0, 300, service: "api");
        trace.Query("SELECT id FROM orders WHERE customer_id = 7", 1, 10, parent);
        for (var i = 0; i < repeatedQueries; i++)
        {
            trace.Query($"SELECT * FROM order_items WHERE order_id = {100 + i}", 20 + i * 20, 15, parent);
        }

        return (trace.Spans, parent);
    }
}
