using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Telemetry.ColdStart;
using OrdersTracing.ServiceDefaults.Telemetry.Export;
using OrdersTracing.ServiceDefaults.Telemetry.ResponseSize;
using OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

namespace OrdersTracing.Benchmarks.Processors;

/// <summary>
/// The work of ours that runs per span or per request besides the span processors (the query detectors, the
/// <c>db.system</c> and URL redaction processors are in <see cref="QueryDetection.QueryDetectionBenchmarks"/>): the
/// export gate in front of the batch processor, the cold-start mark on every server span, the middleware that records
/// the response body's size on it, and a public edge's trust boundary. Each is called through the entry point the
/// service calls.
/// </summary>
/// <remarks>
/// The instrumentations' own URL query redaction is a configuration switch of theirs (it keeps their redaction on): its
/// cost is the instrumentations', in (b) − (a), not code of ours.
/// </remarks>
[MemoryDiagnoser]
public class ProcessorBenchmarks
{
    private const int Batch = 512;

    private ServiceProvider services = null!;
    private SpanExportMonitor monitor = null!;
    private CallerTrust trust = null!;
    private FirstRequestPerRoute firstRequests = null!;
    private Activity serverSpan = null!;
    private readonly DefaultHttpContext routed = new();
    private RequestDelegate withBodySize = null!;
    private RequestDelegate withoutBodySize = null!;
    private readonly IPAddress publicCaller = IPAddress.Parse("203.0.113.7");
    private readonly HeaderDictionary plainHeaders = new() { ["Accept"] = "application/json", ["User-Agent"] = "bench" };
    private readonly HeaderDictionary tracedHeaders = new() { ["Accept"] = "application/json", ["User-Agent"] = "bench" };

    [GlobalSetup]
    public void Setup()
    {
        services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        monitor = new SpanExportMonitor(2048, "http://127.0.0.1:4318", services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            NullLogger.Instance, TimeProvider.System);
        // A deployment's list: the internal network is trusted, the caller is not on it.
        trust = new CallerTrust(Options.Create(new TrustedCallersOptions { TrustedCallers = ["10.0.0.0/8", "::1"] }));
        // A route served before: the steady state of every request but each route's first.
        firstRequests = new FirstRequestPerRoute();
        routed.SetEndpoint(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "HTTP: GET /api/ping"));
        // Started, as the hosting layer starts it: Activity.Current takes only a started span.
        serverSpan = new Activity("GET /api/ping").Start();
        firstRequests.Mark(serverSpan, routed);
        serverSpan.IsAllDataRequested = true;
        serverSpan.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        withBodySize = Pipeline(app => app.UseResponseBodySize());
        withoutBodySize = Pipeline(_ => { });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        serverSpan.Dispose();
        monitor.Dispose();
        services.Dispose();
    }

    /// <summary>
    /// The gate of <c>BoundedBatchExportProcessor</c> per exported span: a place taken in the queue as the span ends, and
    /// its share of the release the exporter makes once per batch (one call for <see cref="Batch"/> spans).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void ExportGate()
    {
        for (var i = 0; i < Batch; i++)
        {
            monitor.TryEnqueue();
        }

        monitor.Exported(Batch, succeeded: true, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The cold-start mark's work as every server span ends (the instrumentation's response enrichment): the route looked
    /// up among those seen, once per request.
    /// </summary>
    [Benchmark]
    public void ColdStartMark() => firstRequests.Mark(serverSpan, routed);

    /// <summary>
    /// A traced request's response of four bytes (the ping's <c>pong</c>) through the response-size middleware: the
    /// counting body in place of the server's, and the tag. <see cref="ResponseWithoutBodySize"/> is the same response without
    /// it; the middleware's cost is the difference, once per request.
    /// </summary>
    [Benchmark]
    public Task ResponseBodySize() => Respond(withBodySize);

    /// <summary>The response of <see cref="ResponseBodySize"/> without the middleware.</summary>
    [Benchmark]
    public Task ResponseWithoutBodySize() => Respond(withoutBodySize);

    private Task Respond(RequestDelegate pipeline)
    {
        Activity.Current = serverSpan;
        return pipeline(new DefaultHttpContext { Response = { Body = Stream.Null } });
    }

    private RequestDelegate Pipeline(Action<IApplicationBuilder> middleware)
    {
        var app = new ApplicationBuilder(services);
        middleware(app);
        app.Run(context => context.Response.WriteAsync("pong"));
        return app.Build();
    }

    /// <summary>
    /// The trust boundary's work for a request from outside the trusted networks that sends no trace context: the peer
    /// checked against the list, the headers looked through. Per request, at a public edge (Web), not per span.
    /// </summary>
    [Benchmark]
    public bool TrustBoundaryPlainRequest() =>
        !trust.IsTrusted(publicCaller) && UntrustedTraceContext.TakeFrom(plainHeaders) is null;

    /// <summary>
    /// The same for a caller that sends a <c>traceparent</c>: the headers taken off the request and the caller's context
    /// parsed into the link. Includes putting the header back for the next call, as a new request would bring it.
    /// </summary>
    [Benchmark]
    public bool TrustBoundaryWithTraceparent()
    {
        tracedHeaders[UntrustedTraceContext.TraceParentHeader] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        return !trust.IsTrusted(publicCaller)
            && UntrustedTraceContext.TakeFrom(tracedHeaders) is { } untrusted
            && untrusted.TryGetLink(out _);
    }
}
