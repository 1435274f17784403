using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrdersTracing.Benchmarks.Export;

/// <summary>
/// The export's own cost per span: spans recorded as the Api records a server span, through the SDK's batch processor
/// and OTLP exporter to the discarding receiver (another process, on the other core), against the same spans recorded
/// and exported nowhere. The difference is what export adds to (b) − (a); the rest is recording.
/// </summary>
/// <remarks>
/// Each operation ends one batch of spans and flushes it, so the export thread's work falls inside the operation. The
/// time BenchmarkDotNet reports is wall time, which includes the receiver's answer; the CPU the whole process spent per
/// span (all threads: this one, the export thread, the GC) is read from <see cref="Process.TotalProcessorTime"/> over
/// all iterations after the first <see cref="WarmupOperations"/> and written, one JSON line per case, to the file <c>BENCH_EXPORT_CPU</c> names. The receiver is
/// named by <c>BENCH_SINK_HTTP</c> (its <c>/v1/traces</c> URL) and <c>BENCH_SINK_GRPC</c>; bench/run.sh sets both.
/// </remarks>
[MemoryDiagnoser]
public class ExportCostBenchmarks
{
    /// <summary>The SDK's default batch size: one export call per operation.</summary>
    public const int SpansPerBatch = 512;

    /// <summary>
    /// Operations after which the CPU count starts again, so that the JIT's work (the first case pays for the code all
    /// cases share) and tiering stay out of the figure; a dry run never gets there and counts everything.
    /// </summary>
    private const int WarmupOperations = 64;

    private ActivitySource source = null!;
    private TracerProvider provider = null!;
    private BatchActivityExportProcessor? processor;
    private TimeSpan cpuAtStart;
    private long spans;
    private long operations;

    [Params(Export.None, Export.HttpProtobuf, Export.Grpc)]
    public Export Export { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        source = new ActivitySource("OrdersTracing.Benchmarks.ExportCost");
        var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService("export-cost-bench"))
            .AddSource(source.Name);
        if (Export != Export.None)
        {
            var options = Export == Export.Grpc
                ? new OtlpExporterOptions { Endpoint = Receiver("BENCH_SINK_GRPC"), Protocol = OtlpExportProtocol.Grpc }
                : new OtlpExporterOptions { Endpoint = Receiver("BENCH_SINK_HTTP"), Protocol = OtlpExportProtocol.HttpProtobuf };
            var exporter = new OtlpTraceExporter(options);
            EnsureReceiverAccepts(exporter, options.Endpoint);
            // The default queue and batch; a delay long enough that only the flush of each operation exports.
            processor = new BatchActivityExportProcessor(exporter, 2048, 60_000, 10_000, SpansPerBatch);
            tracing.AddProcessor(processor);
        }

        provider = tracing.Build();
        cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        spans = 0;
        operations = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
        provider.Dispose();
        source.Dispose();
        if (Environment.GetEnvironmentVariable("BENCH_EXPORT_CPU") is { Length: > 0 } path && spans > 0)
        {
            File.AppendAllText(path, JsonSerializer.Serialize(new
            {
                export = Export.ToString(),
                spans,
                cpu_ns_per_span = cpu.TotalNanoseconds / spans,
            }) + "\n");
        }
    }

    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    public void ExportedSpan()
    {
        for (var i = 0; i < SpansPerBatch; i++)
        {
            using var span = source.StartActivity("GET /api/orders/{id}", ActivityKind.Server);
            span?.SetTag("http.request.method", "GET").SetTag("url.scheme", "http").SetTag("url.path", "/api/orders/0d7c0f5e")
                .SetTag("server.address", "localhost").SetTag("server.port", 5080).SetTag("network.protocol.version", "1.1")
                .SetTag("http.route", "/api/orders/{id}").SetTag("http.response.status_code", 200)
                .SetTag("tenant.id", "acme").SetTag("user.id", "alice");
        }

        processor?.ForceFlush();
        spans += SpansPerBatch;
        if (++operations == WarmupOperations)
        {
            cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            spans = 0;
        }
    }

    /// <summary>
    /// One span exported before the measurement: a receiver that refuses (wrong port, no HTTP/2) would make every
    /// export fail fast and the figures flatter, so that fails the benchmark instead.
    /// </summary>
    private static void EnsureReceiverAccepts(OtlpTraceExporter exporter, Uri endpoint)
    {
        using var probeSource = new ActivitySource("OrdersTracing.Benchmarks.ExportCost.Probe");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == probeSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var span = probeSource.StartActivity("probe")!;
        span.Stop();
        if (exporter.Export(new Batch<Activity>([span], 1)) != ExportResult.Success)
        {
            throw new InvalidOperationException($"The receiver at {endpoint} did not accept an export; is the discarding receiver running there?");
        }
    }

    private static Uri Receiver(string variable) =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(variable), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{variable} must name the discarding receiver (dotnet OrdersTracing.Benchmarks.dll sink --urls ... --grpc-port ...); bench/run.sh sets it."));
}

public enum Export
{
    /// <summary>Recorded and exported nowhere: the recording alone.</summary>
    None,
    HttpProtobuf,
    Grpc,
}
