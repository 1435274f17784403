using System.Diagnostics;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Tests.Telemetry;

public sealed class QueryDetectionSlowQueryTests
{
    private const string Statement = "SELECT * FROM orders WHERE customer_id = 42";

    [Fact]
    public async Task A_600_ms_query_is_marked_slow_with_its_normalised_statement()
    {
        await using var telemetry = await StartAsync();

        var (query, _) = Request(telemetry, milliseconds: 600);

        Assert.Equal(true, query.GetTagItem(TelemetryTags.DbSlowQuery));
        Assert.Equal("SELECT * FROM orders WHERE customer_id = ?", query.GetTagItem(TelemetryTags.DbSlowQueryStatement));
    }

    [Fact]
    public async Task A_600_ms_query_marks_the_local_root_of_its_trace()
    {
        await using var telemetry = await StartAsync();

        var (_, root) = Request(telemetry, milliseconds: 600);

        Assert.Equal(true, root.GetTagItem(TelemetryTags.SlowQueryDetected));
        Assert.Equal(1, root.GetTagItem(TelemetryTags.SlowQueryCount));
    }

    [Fact]
    public async Task Each_slow_query_of_a_trace_is_counted_on_its_root()
    {
        await using var telemetry = await StartAsync();
        var timeline = new QueryTimeline(telemetry.Source);

        var root = timeline.Start("GET /orders", ActivityKind.Server);
        var handler = timeline.Start("load orders");
        timeline.Query(Statement, 600);
        timeline.Query(Statement, 100);
        timeline.Query(Statement, 700);
        timeline.End(handler);
        timeline.End(root);

        Assert.Equal(2, root.GetTagItem(TelemetryTags.SlowQueryCount));
    }

    [Fact]
    public async Task A_slow_connection_open_is_no_slow_query()
    {
        await using var telemetry = await StartAsync();
        var timeline = new QueryTimeline(telemetry.Source);

        var root = timeline.Start("GET /orders", ActivityKind.Server);
        var connect = timeline.Connect(900);
        timeline.End(root);

        Assert.Null(connect.GetTagItem(TelemetryTags.DbSlowQuery));
        Assert.Null(root.GetTagItem(TelemetryTags.SlowQueryDetected));
    }

    [Fact]
    public async Task A_100_ms_query_is_not_marked()
    {
        await using var telemetry = await StartAsync();

        var (query, root) = Request(telemetry, milliseconds: 100);

        Assert.Null(query.GetTagItem(TelemetryTags.DbSlowQuery));
        Assert.Null(root.GetTagItem(TelemetryTags.SlowQueryDetected));
    }

    [Fact]
    public async Task The_threshold_comes_from_configuration()
    {
        await using var telemetry = await StartAsync(("Tracing:QueryDetection:SlowQueryThreshold", "00:00:00.050"));

        var (query, _) = Request(telemetry, milliseconds: 100);

        Assert.Equal(true, query.GetTagItem(TelemetryTags.DbSlowQuery));
    }

    [Fact]
    public async Task Switching_slow_query_detection_off_leaves_the_query_and_the_root_unmarked()
    {
        await using var telemetry = await StartAsync(("Tracing:QueryDetection:SlowQueryEnabled", "false"));

        var (query, root) = Request(telemetry, milliseconds: 600);

        Assert.Null(query.GetTagItem(TelemetryTags.DbSlowQuery));
        Assert.Null(root.GetTagItem(TelemetryTags.SlowQueryDetected));
    }

    private static async Task<TelemetryTestHost> StartAsync(params (string Key, string? Value)[] settings)
    {
        var telemetry = TelemetryTestHost.Create(settings);
        await telemetry.StartAsync();
        return telemetry;
    }

    /// <summary>A request that runs one query of <paramref name="milliseconds"/>; both spans as exported.</summary>
    private static (Activity Query, Activity Root) Request(TelemetryTestHost telemetry, double milliseconds)
    {
        var timeline = new QueryTimeline(telemetry.Source);
        var root = timeline.Start("GET /orders", ActivityKind.Server);
        timeline.Query(Statement, milliseconds);
        timeline.End(root);

        var spans = telemetry.ExportedSpans;
        return (Assert.Single(spans, span => span.Kind == ActivityKind.Client), Assert.Single(spans, span => span.Parent is null));
    }
}
