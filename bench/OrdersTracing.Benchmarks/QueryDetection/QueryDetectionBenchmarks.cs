using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;
using OrdersTracing.ServiceDefaults.Telemetry.Redaction;

namespace OrdersTracing.Benchmarks.QueryDetection;

/// <summary>
/// What the live detectors add to one span as it ends, for the spans a request produces: the Api's own spans (neither a
/// query nor an HTTP call, the common case), its outgoing HTTP calls and the Npgsql spans of its queries. Budgets
/// (issue 12): all detectors together at most 100 ns and 0 B for the first kind, 400 ns for the others. Also the
/// processor that writes <c>db.system</c>, which reads every span as well (here in its steady state: the query span
/// already carries <c>db.system</c>, so what is measured is the read, not the one-time tag it adds to a span), and the
/// URL redaction processor, which reads every span's URL attributes (here with URLs that have nothing to redact, as the
/// instrumentations have redacted their query values already).
/// </summary>
/// <remarks>
/// The spans are made once, tagged as ASP.NET Core, the HTTP client instrumentation and Npgsql tag them, inside a local
/// root the detectors follow; each benchmark hands one span to the detectors again and again. Each call adds the span
/// to its root's list until the list holds <see cref="QueryDetectionOptions.MaxSpansPerRoot"/>; the calls after that
/// skip only the copy of the 80-byte struct into the list. A request's own root is measured apart, once per request:
/// its start (the detectors begin to follow it), its spans' ends and its end (the detectors run over its spans), for a
/// request without child spans (<c>/ping</c>), for one with a handler's span and a query (reading an order) and for
/// placing an order (two writes around the payment call, then the cache command made from the request's context).
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
    private Activity internalSpan = null!;
    private Activity clientSpan = null!;
    private Activity querySpan = null!;
    private Activity requestRoot = null!;
    private Activity requestHandler = null!;
    private Activity requestQuery = null!;
    private Activity createRoot = null!;
    private Activity[] createSpans = null!;
    private Activity cacheCommand = null!;

    [Params(Detector.Family, Detector.SlowQuery, Detector.All, Detector.DatabaseSystem, Detector.UrlRedaction)]
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
        var family = new PerformanceDetectionProcessor(options, NullLogger<PerformanceDetectionProcessor>.Instance, meters);
        var slowQuery = new SlowQueryDetectionProcessor(options, NullLogger<SlowQueryDetectionProcessor>.Instance, meters);
        detector = Detectors switch
        {
            Detector.Family => family,
            Detector.SlowQuery => slowQuery,
            Detector.All => new CompositeProcessor<Activity>([family, slowQuery]),
            Detector.UrlRedaction => new UrlRedactionProcessor(),
            _ => new DatabaseSystemProcessor(),
        };

        root = Server(source.StartActivity("GET /api/orders/with-items", ActivityKind.Server)!);
        detector.OnStart(root);
        var handler = source.StartActivity("orders.list_with_items")!;
        handler.SetTag(TelemetryTags.TenantId, "acme").SetTag(TelemetryTags.UserId, "alice").SetTag(TelemetryTags.ItemLoading, "Naive");
        detector.OnStart(handler);

        internalSpan = source.StartActivity("orders.price_lookup")!;
        internalSpan.SetTag(TelemetryTags.TenantId, "acme").SetTag(TelemetryTags.OrderId, "42");
        internalSpan.Stop();

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

        // A request of its own, healthy (nothing to find), whose root the detectors follow from its start in each call.
        var current = Activity.Current;
        Activity.Current = null;
        requestRoot = Server(source.StartActivity("GET /api/orders/{id}", ActivityKind.Server)!);
        requestHandler = source.StartActivity("orders.get")!;
        requestHandler.SetTag(TelemetryTags.TenantId, "acme").SetTag(TelemetryTags.OrderId, "42");
        requestQuery = Query(source.StartActivity("postgresql", ActivityKind.Client)!, "SELECT o.id, o.status FROM orders AS o WHERE o.id = @__id_0");
        requestHandler.Stop();
        requestRoot.Stop();

        // Placing an order: two writes around the payment call (six spans, past the cheapest early-outs), then the
        // cache command that drops the order's cached copy once its payment is recorded, which the Redis instrumentation
        // makes from the request's context after the request has ended.
        Activity.Current = null;
        createRoot = Server(source.StartActivity("POST /api/orders", ActivityKind.Server)!);
        var create = source.StartActivity("orders.create")!;
        create.SetTag(TelemetryTags.TenantId, "acme").SetTag(TelemetryTags.UserId, "alice");
        var insertOrder = Query(source.StartActivity("postgresql", ActivityKind.Client)!, "INSERT INTO orders (id, created_at, status, tenant_id, total, user_id) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)");
        var insertItems = Query(source.StartActivity("postgresql", ActivityKind.Client)!, "INSERT INTO order_items (id, order_id, quantity, sku, unit_price) VALUES (@p6, @p7, @p8, @p9, @p10)");
        var payment = source.StartActivity("payments.create_intent")!;
        var paymentCall = source.StartActivity("POST", ActivityKind.Client)!;
        paymentCall.SetTag("http.request.method", "POST").SetTag("server.address", "localhost").SetTag("server.port", 5090)
            .SetTag("url.full", "http://localhost:5090/payment_intents").SetTag("http.response.status_code", 200);
        paymentCall.Stop();
        payment.Stop();
        var update = Query(source.StartActivity("postgresql", ActivityKind.Client)!, "UPDATE orders SET payment_id = @p0, payment_status = @p1 WHERE id = @p2");
        create.Stop();
        createRoot.Stop();
        createSpans = [insertOrder, insertItems, paymentCall, payment, update, create];
        Activity.Current = null;
        cacheCommand = source.StartActivity("UNLINK", ActivityKind.Client, createRoot.Context)!;
        cacheCommand.SetTag(TelemetryTags.DbSystemName, "redis").SetTag(TelemetryTags.DbQueryText, "UNLINK");
        cacheCommand.Stop();
        Activity.Current = current;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        listener.Dispose();
        services.Dispose();
        detector.Dispose();
    }

    /// <summary>A span that is neither a query nor an HTTP call: a handler's own span.</summary>
    [Benchmark(Baseline = true)]
    public void InternalSpan() => detector.OnEnd(internalSpan);

    /// <summary>An outgoing HTTP call (the payment provider's).</summary>
    [Benchmark]
    public void HttpClientSpan() => detector.OnEnd(clientSpan);

    /// <summary>One of the repeated queries of an N+1.</summary>
    [Benchmark]
    public void DatabaseSpan() => detector.OnEnd(querySpan);

    /// <summary>A request without child spans, start to end: the once-per-request work of following its root.</summary>
    [Benchmark]
    public void EmptyRequest()
    {
        detector.OnStart(requestRoot);
        detector.OnEnd(requestRoot);
    }

    /// <summary>A request with a handler's span and a query, start to end.</summary>
    [Benchmark]
    public void OrderRequest()
    {
        detector.OnStart(requestRoot);
        detector.OnEnd(requestQuery);
        detector.OnEnd(requestHandler);
        detector.OnEnd(requestRoot);
    }

    /// <summary>Placing an order, start to end, and the cache command made from its context after it.</summary>
    [Benchmark]
    public void CreateRequest()
    {
        detector.OnStart(createRoot);
        foreach (var span in createSpans)
        {
            detector.OnEnd(span);
        }

        detector.OnEnd(createRoot);
        detector.OnStart(cacheCommand);
        detector.OnEnd(cacheCommand);
    }

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
    /// <summary>The detector family's processor (N+1 DB and HTTP, consecutive DB and HTTP, MN+1, large payload, slow query findings).</summary>
    Family,

    /// <summary>The processor that marks a slow query itself as it ends.</summary>
    SlowQuery,

    /// <summary>Both, as a service runs them: the budgets are for this one.</summary>
    All,

    /// <summary>Not a detector: the processor that writes <c>db.system</c>, which also reads every span as it ends.</summary>
    DatabaseSystem,

    /// <summary>Not a detector: the processor that redacts URL attributes, which also reads every span as it ends.</summary>
    UrlRedaction,
}
