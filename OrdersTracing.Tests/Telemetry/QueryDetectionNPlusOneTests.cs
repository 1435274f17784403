using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.Telemetry;

public sealed class QueryDetectionNPlusOneTests
{
    private const string OrdersQuery = "SELECT id FROM orders WHERE customer_id = 7";
    private const string ItemsQuery = "SELECT * FROM order_items WHERE order_id = @p0";
    private const string NormalizedItemsQuery = "SELECT * FROM order_items WHERE order_id = ?";

    [Fact]
    public async Task Five_identical_queries_after_a_source_query_mark_the_root_with_the_statement_and_the_count()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline => RunNPlusOne(timeline, repeats: 5, milliseconds: 20));

        Assert.Equal(true, root.GetTagItem(TelemetryTags.NPlusOneDetected));
        Assert.Equal(NormalizedItemsQuery, root.GetTagItem(TelemetryTags.NPlusOneStatement));
        Assert.Equal(5, root.GetTagItem(TelemetryTags.NPlusOneCount));
        Assert.Equal(100.0, root.GetTagItem(TelemetryTags.NPlusOneTotalDurationMs));
    }

    [Fact]
    public async Task The_root_of_an_N_plus_one_carries_an_event_describing_it()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline => RunNPlusOne(timeline, repeats: 6, milliseconds: 20));

        var detection = Assert.Single(root.Events, e => e.Name == FindingEvents.EventName);
        var tags = detection.Tags.ToDictionary(tag => tag.Key, tag => tag.Value);
        Assert.Equal("n_plus_one_db", tags[FindingEvents.Kind]);
        Assert.Equal(NormalizedItemsQuery, tags[FindingEvents.Subject]);
        Assert.Equal(6, tags[FindingEvents.Count]);
        Assert.Equal(120.0, tags[FindingEvents.TotalDurationMs]);
    }

    [Fact]
    public async Task Four_identical_queries_are_not_an_N_plus_one()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline => RunNPlusOne(timeline, repeats: 4, milliseconds: 50));

        AssertNotMarked(root);
    }

    [Fact]
    public async Task A_span_that_is_not_a_query_between_the_repeated_queries_breaks_the_run()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline =>
        {
            timeline.Query(OrdersQuery, 5);
            RepeatItemsQuery(timeline, 3, 20);
            timeline.End(timeline.Start("price lookup"));
            RepeatItemsQuery(timeline, 3, 20);
        });

        AssertNotMarked(root);
    }

    [Fact]
    public async Task A_connection_open_between_the_repeated_queries_does_not_break_the_run()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline =>
        {
            timeline.Connect(30);
            timeline.Query(OrdersQuery, 5);
            RepeatItemsQuery(timeline, 3, 20);
            timeline.Connect(30);
            RepeatItemsQuery(timeline, 2, 20);
        });

        Assert.Equal(5, root.GetTagItem(TelemetryTags.NPlusOneCount));
    }

    [Fact]
    public async Task Different_statements_are_not_an_N_plus_one()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline =>
        {
            timeline.Query(OrdersQuery, 5);
            foreach (var table in new[] { "items", "payments", "shipments", "invoices", "refunds", "notes" })
            {
                timeline.Query($"SELECT * FROM {table} WHERE order_id = 1", 20);
            }
        });

        AssertNotMarked(root);
    }

    [Fact]
    public async Task Queries_that_differ_only_in_their_literal_values_are_the_same_statement()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline =>
        {
            timeline.Query(OrdersQuery, 5);
            for (var orderId = 1; orderId <= 5; orderId++)
            {
                timeline.Query($"SELECT * FROM order_items WHERE order_id = {orderId} AND status = 'open-{orderId}'", 20);
            }
        });

        Assert.Equal("SELECT * FROM order_items WHERE order_id = ? AND status = ?", root.GetTagItem(TelemetryTags.NPlusOneStatement));
    }

    [Fact]
    public async Task Repeated_queries_taking_less_than_50_ms_together_are_not_an_N_plus_one()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline => RunNPlusOne(timeline, repeats: 10, milliseconds: 4));

        AssertNotMarked(root);
    }

    [Fact]
    public async Task Repeated_queries_without_a_different_query_before_them_are_not_an_N_plus_one()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline => RepeatItemsQuery(timeline, 8, 20));

        AssertNotMarked(root);
    }

    [Fact]
    public async Task Repeated_queries_under_a_nested_parent_span_mark_the_local_root()
    {
        await using var telemetry = await StartAsync();

        var root = Request(telemetry, timeline =>
        {
            var loadOrders = timeline.Start("load orders");
            RunNPlusOne(timeline, repeats: 5, milliseconds: 20);
            timeline.End(loadOrders);
        });

        Assert.Equal(5, root.GetTagItem(TelemetryTags.NPlusOneCount));
    }

    [Fact]
    public async Task Concurrent_requests_are_each_marked_by_their_own_queries_only()
    {
        await using var telemetry = await StartAsync();
        const int requestCount = 300;

        var roots = await Task.WhenAll(Enumerable.Range(0, requestCount).Select(request => Task.Run(async () =>
        {
            var timeline = new QueryTimeline(telemetry.Source);
            var root = timeline.Start("GET /orders", ActivityKind.Server);
            root.SetTag("test.request", request);
            timeline.Query(OrdersQuery, 5);
            for (var i = 0; i < (request % 3 == 0 ? 5 : 4); i++)
            {
                // Each query continues on whichever thread is free, interleaved with the other requests' queries.
                await Task.Yield();
                timeline.Query(ItemsQuery, 20);
            }

            timeline.End(root);
            return root;
        }, TestContext.Current.CancellationToken)));

        Assert.All(roots, root => Assert.Equal(
            (int)root.GetTagItem("test.request")! % 3 == 0 ? true : null,
            root.GetTagItem(TelemetryTags.NPlusOneDetected)));
    }

    [Fact]
    public async Task An_N_plus_one_is_counted_by_its_statement()
    {
        await using var telemetry = await StartAsync();
        var meterFactory = telemetry.Services.GetRequiredService<IMeterFactory>();
        var statements = new List<object?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == QueryDetectionTelemetry.NPlusOneCounterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => statements.Add(tags[0].Value));
        listener.Start();

        Request(telemetry, timeline => RunNPlusOne(timeline, repeats: 5, milliseconds: 20));

        Assert.Equal([NormalizedItemsQuery], statements);
    }

    [Fact]
    public async Task Switching_N_plus_one_detection_off_leaves_the_root_unmarked()
    {
        await using var telemetry = await StartAsync(("Tracing:QueryDetection:DetectorsEnabled", "false"));

        var root = Request(telemetry, timeline => RunNPlusOne(timeline, repeats: 5, milliseconds: 20));

        AssertNotMarked(root);
    }

    [Fact]
    public void The_tracked_traces_never_exceed_the_limit_when_roots_never_end()
    {
        using var detector = new StandaloneDetector();
        var mostTracked = 0;

        for (var i = 0; i < 100_000; i++)
        {
            // A request whose server span is never stopped, as when a handler leaks it.
            var timeline = new QueryTimeline(detector.Source);
            timeline.Start("GET /orders", ActivityKind.Server);
            timeline.Query(OrdersQuery, 5);
            Activity.Current = null;
            mostTracked = Math.Max(mostTracked, detector.Processor.TrackedTraceCount);
        }

        Assert.Equal(new QueryDetectionOptions().MaxTrackedTraces, mostTracked);
    }

    [Fact]
    public void A_connection_open_that_is_a_root_of_its_own_is_forgotten_when_it_ends()
    {
        using var detector = new StandaloneDetector();

        // As a background worker's first connection, or a reconnect, outside any request.
        new QueryTimeline(detector.Source).Connect(5);

        Assert.Equal(0, detector.Processor.TrackedTraceCount);
    }

    [Fact]
    public void A_trace_is_forgotten_when_its_local_root_ends()
    {
        using var detector = new StandaloneDetector();
        var timeline = new QueryTimeline(detector.Source);

        var root = timeline.Start("GET /orders", ActivityKind.Server);
        RunNPlusOne(timeline, repeats: 5, milliseconds: 20);
        var trackedWhileOpen = detector.Processor.TrackedTraceCount;
        timeline.End(root);

        Assert.Equal(1, trackedWhileOpen);
        Assert.Equal(0, detector.Processor.TrackedTraceCount);
    }

    [Fact]
    public void A_cache_commands_span_made_from_its_requests_context_is_not_followed_as_a_request_of_its_own()
    {
        using var detector = new StandaloneDetector();
        var root = new QueryTimeline(detector.Source).Start("POST /api/orders", ActivityKind.Server);
        Activity.Current = null;

        // As the StackExchange.Redis instrumentation makes a command's span: from the request's context, on its own thread.
        using (detector.Source.StartActivity("UNLINK", ActivityKind.Client, root.Context))
        {
            Assert.Equal(1, detector.Processor.TrackedTraceCount);
        }

        // A client span whose parent is in another process is where this process's part of the trace starts.
        var remote = new ActivityContext(root.TraceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using (detector.Source.StartActivity("GET", ActivityKind.Client, remote))
        {
            Assert.Equal(2, detector.Processor.TrackedTraceCount);
        }

        root.Stop();
        Assert.Equal(0, detector.Processor.TrackedTraceCount);
    }

    private static async Task<TelemetryTestHost> StartAsync(params (string Key, string? Value)[] settings)
    {
        var telemetry = TelemetryTestHost.Create(settings);
        await telemetry.StartAsync();
        return telemetry;
    }

    /// <summary>A server span whose handler runs <paramref name="handle"/>; the root is returned once it has ended.</summary>
    private static Activity Request(TelemetryTestHost telemetry, Action<QueryTimeline> handle)
    {
        var timeline = new QueryTimeline(telemetry.Source);
        var root = timeline.Start("GET /orders", ActivityKind.Server);
        handle(timeline);
        timeline.End(root);
        return Assert.Single(telemetry.ExportedSpans, span => span.Parent is null);
    }

    private static void RunNPlusOne(QueryTimeline timeline, int repeats, double milliseconds)
    {
        timeline.Query(OrdersQuery, 5);
        RepeatItemsQuery(timeline, repeats, milliseconds);
    }

    private static void RepeatItemsQuery(QueryTimeline timeline, int repeats, double milliseconds)
    {
        for (var i = 0; i < repeats; i++)
        {
            timeline.Query(ItemsQuery, milliseconds);
        }
    }

    private static void AssertNotMarked(Activity root)
    {
        Assert.Null(root.GetTagItem(TelemetryTags.NPlusOneDetected));
        Assert.DoesNotContain(root.Events, e => e.Name == FindingEvents.EventName);
    }

    /// <summary>The detector alone, with its default options and no exporter, to look at what it keeps in memory.</summary>
    private sealed class StandaloneDetector : IDisposable
    {
        private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly TracerProvider tracing;

        public StandaloneDetector()
        {
            Processor = new PerformanceDetectionProcessor(
                Options.Create(new QueryDetectionOptions()),
                NullLogger<PerformanceDetectionProcessor>.Instance,
                meters.GetRequiredService<IMeterFactory>());
            Source = new ActivitySource($"{nameof(QueryDetectionNPlusOneTests)}.{Guid.NewGuid():N}");
            tracing = Sdk.CreateTracerProviderBuilder().AddSource(Source.Name).AddProcessor(Processor).Build();
        }

        public PerformanceDetectionProcessor Processor { get; }

        public ActivitySource Source { get; }

        public void Dispose()
        {
            tracing.Dispose();
            Source.Dispose();
            meters.Dispose();
        }
    }
}
