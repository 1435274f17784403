using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Telemetry.Export;
using OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

namespace OrdersTracing.Benchmarks.Processors;

/// <summary>
/// The work of ours that runs per span or per request besides the query detectors and the <c>db.system</c> processor
/// (those are in <see cref="QueryDetection.QueryDetectionBenchmarks"/>): the export gate in front of the batch processor,
/// and a public edge's trust boundary. Each is called through the entry point the service calls.
/// </summary>
/// <remarks>
/// The URL query redaction has no code of ours per span: it is a configuration switch that keeps the ASP.NET Core and
/// HttpClient instrumentations' own redaction on, so there is nothing of ours to measure there.
/// </remarks>
[MemoryDiagnoser]
public class ProcessorBenchmarks
{
    private const int Batch = 512;

    private ServiceProvider services = null!;
    private SpanExportMonitor monitor = null!;
    private CallerTrust trust = null!;
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
    }

    [GlobalCleanup]
    public void Cleanup()
    {
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
