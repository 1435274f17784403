using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class StoredTraceDetectionTests
{
    private const string ItemsByOrder = "SELECT * FROM order_items WHERE order_id = ?";

    [Fact]
    public void Five_sequential_item_queries_after_the_orders_query_are_an_n_plus_one_group()
    {
        var (trace, parent) = OrdersList(repeatedQueries: 5);

        var group = Assert.Single(NPlusOnes(trace));

        Assert.Equal((5, ItemsByOrder, parent.SpanId), (group.Count, group.Subject, group.ParentSpanId));
        Assert.Equal(TimeSpan.FromMilliseconds(75), group.TotalDuration);
        var source = Assert.Single(trace, span => span.SpanId == group.SourceSpanId);
        Assert.Equal("SELECT id FROM orders WHERE customer_id = ?", SqlNormalizer.Normalize(source["db.query.text"]!));
    }

    [Fact]
    public void Four_repeated_queries_are_not_an_n_plus_one_group()
    {
        var (trace, _) = OrdersList(repeatedQueries: 4);

        var found = NPlusOnes(trace);

        Assert.Empty(found);
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

        var found = NPlusOnes(trace.Spans);

        Assert.Empty(found);
    }

    [Fact]
    public void Repeated_queries_lasting_less_than_the_minimum_total_are_not_an_n_plus_one_group()
    {
        var (trace, _) = OrdersList(repeatedQueries: 5);

        var found = NPlusOnes(trace, new DetectionThresholds { MinimumTotalDuration = TimeSpan.FromMilliseconds(100) });

        Assert.Empty(found);
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

        var found = StoredTraceDetection.Find(trace.Spans);

        var finding = Assert.Single(found, finding => finding.Kind == FindingKind.SlowDbQuery);
        Assert.Equal([slow.SpanId], finding.EvidenceSpanIds);
        Assert.Equal("SELECT * FROM orders WHERE customer_email = ?", finding.Subject);
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

        var found = StoredTraceDetection.Find(trace.Spans);

        Assert.Equal(5, Assert.Single(found, finding => finding.Kind == FindingKind.NPlusOneDb).Count);
        Assert.DoesNotContain(found, finding => finding.Kind == FindingKind.SlowDbQuery);
    }

    [Fact]
    public void The_slow_query_threshold_can_be_lowered()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 200);
        trace.Query("SELECT * FROM orders", 0, 120, root);

        var found = StoredTraceDetection.Find(trace.Spans, new DetectionThresholds { SlowQueryThreshold = TimeSpan.FromMilliseconds(100) });

        Assert.Single(found, finding => finding.Kind == FindingKind.SlowDbQuery);
    }

    [Fact]
    public void Findings_a_live_detector_recorded_as_root_events_are_read_back()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 200, service: "api");
        var recorded = new Finding(FindingKind.NPlusOneDb, "api", ["00000000000000a1", "00000000000000a2"], ItemsByOrder, 12, TimeSpan.FromMilliseconds(80));
        var stored = root with
        {
            Events = [new TraceSpanEvent(FindingEvents.EventName, TraceBuilder.Origin, FindingEvents.Attributes(recorded).ToDictionary(
                attribute => attribute.Key,
                attribute => attribute.Value is string[] ids ? "[" + string.Join(",", ids) + "]" : Convert.ToString(attribute.Value, System.Globalization.CultureInfo.InvariantCulture)!))],
        };

        var live = Assert.Single(StoredTraceDetection.LiveFindings([stored]));

        Assert.Equal((FindingKind.NPlusOneDb, 12, ItemsByOrder, FindingOrigin.LiveDetector), (live.Kind, live.Count, live.Subject, live.Origin));
        Assert.Equal(recorded.EvidenceSpanIds, live.EvidenceSpanIds);
        Assert.Equal(recorded.TotalDuration, live.TotalDuration);
    }

    [Fact]
    public void Span_ids_of_a_live_finding_are_read_from_the_dashboards_json_array_too()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 200, service: "api");
        var stored = root with
        {
            Events = [new TraceSpanEvent(FindingEvents.EventName, TraceBuilder.Origin, new Dictionary<string, string>
            {
                [FindingEvents.Kind] = "n_plus_one_db",
                [FindingEvents.SpanIds] = "[\"00000000000000a1\",\"00000000000000a2\"]",
            })],
        };

        var live = Assert.Single(StoredTraceDetection.LiveFindings([stored]));

        Assert.Equal(["00000000000000a1", "00000000000000a2"], live.EvidenceSpanIds);
    }

    private static IReadOnlyList<Finding> NPlusOnes(IReadOnlyList<TraceSpan> trace, DetectionThresholds? thresholds = null) =>
        [.. StoredTraceDetection.Find(trace, thresholds).Where(finding => finding.Kind == FindingKind.NPlusOneDb)];

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
