using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

namespace OrdersTracing.Benchmarks.QueryDetection;

/// <summary>
/// What the N+1 and slow-query detectors add to one span as it ends, for the spans a request produces: the server
/// span and the Api's own spans (not database spans, the common case) and the Npgsql spans of its queries. Also the
/// processor that writes <c>db.system</c>, which reads every span as well (here in its steady state: the query span
/// already carries <c>db.system</c>, so what is measured is the read, not the one-time tag it adds to a span).
/// </summary>
/// <remarks>
/// The spans are made once, tagged as the HTTP client instrumentation and Npgsql tag them, inside a trace the detector
/// follows, under a parent that ran its source query and is in the middle of a run; each benchmark hands one span to the
/// detector again and again. The non-database span breaks the parent's run on its first call; the calls measured see
/// the trace as a span that is not a query mostly does: nothing open that it could break or complete.
/// </remarks>
[MemoryDiagnoser]
public class QueryDetectionBenchmarks
{
    // The statement EF Core sends for one order's items (the naive listing's repeated query).
    private const string ItemsQuery =
        "SELECT o.id, o.order_id, o.quantity, o.sku, o.unit_price FROM order_items AS o WHERE o.order_id = @__p_0";

    private readonly ActivitySource source = new("OrdersTracing.Benchmarks");
    private ActivityListener listener = null!;
    private ServiceProvider services = null!;
    private BaseProcessor<Activity> detector = null!;
    private Activity root = null!;
    private Activity clientSpan = null!;
    private Activity querySpan = null!;

    [Params(Detector.NPlusOne, Detector.SlowQuery, Detector.Both, Detector.DatabaseSystem)]
    public Detector Detectors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = Options.Create(new QueryDetectionOptions());
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var nPlusOne = new NPlusOneDetectionProcessor(options, NullLogger<NPlusOneDetectionProcessor>.Instance, meters);
        var slowQuery = new SlowQueryDetectionProcessor(options, NullLogger<SlowQueryDetectionProcessor>.Instance, meters);
        detector = Detectors switch
        {
            Detector.NPlusOne => nPlusOne,
            Detector.SlowQuery => slowQuery,
            Detector.Both => new CompositeProcessor<Activity>([nPlusOne, slowQuery]),
            _ => new DatabaseSystemProcessor(),
        };

        root = Server(source.StartActivity("GET /api/orders/with-items", ActivityKind.Server)!);
        detector.OnStart(root);
        var handler = source.StartActivity("orders.list_with_items")!;
        handler.SetTag(TelemetryTags.TenantId, "acme").SetTag(TelemetryTags.UserId, "alice").SetTag(TelemetryTags.ItemLoading, "Naive");
        detector.OnStart(handler);

        // The parent has its source query and a run under way, as in the middle of an N+1.
        querySpan = Query(source.StartActivity("postgresql", ActivityKind.Client)!, "SELECT o.id FROM orders AS o WHERE o.tenant_id = @__tenant_0");
        detector.OnEnd(querySpan);
        querySpan = Query(source.StartActivity("postgresql", ActivityKind.Client)!, ItemsQuery);
        detector.OnEnd(querySpan);

        clientSpan = source.StartActivity("POST", ActivityKind.Client)!;
        clientSpan.SetTag("http.request.method", "POST").SetTag("server.address", "localhost").SetTag("server.port", 5090)
            .SetTag("url.full", "http://localhost:5090/payment_intents").SetTag("network.protocol.version", "1.1")
            .SetTag("http.response.status_code", 200);
        clientSpan.Stop();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        listener.Dispose();
        services.Dispose();
        detector.Dispose();
    }

    /// <summary>A span that is not a query (here an HTTP client call) ending beside the queries of its parent.</summary>
    [Benchmark(Baseline = true)]
    public void NonDatabaseSpan() => detector.OnEnd(clientSpan);

    /// <summary>One of the repeated queries of an N+1, under a parent whose run it continues.</summary>
    [Benchmark]
    public void DatabaseSpan() => detector.OnEnd(querySpan);

    private static Activity Server(Activity span)
    {
        span.SetTag("http.request.method", "GET").SetTag("url.scheme", "http").SetTag("url.path", "/api/orders/with-items")
            .SetTag("server.address", "localhost").SetTag("server.port", 5080).SetTag("network.protocol.version", "1.1")
            .SetTag("user_agent.original", "wrk").SetTag("http.route", "/api/orders/with-items").SetTag("http.response.status_code", 200);
        return span;
    }

    private static Activity Query(Activity span, string statement)
    {
        span.SetTag(TelemetryTags.DbSystemName, "postgresql").SetTag("db.namespace", "ordersdb").SetTag(TelemetryTags.DbQueryText, statement)
            .SetTag("server.address", "127.0.0.1").SetTag("server.port", 5432).SetTag(TelemetryTags.DbSystem, "postgresql");
        span.Stop();
        return span;
    }
}

public enum Detector
{
    NPlusOne,
    SlowQuery,
    Both,

    /// <summary>Not a detector: the processor that writes <c>db.system</c>, which also reads every span as it ends.</summary>
    DatabaseSystem,
}
