using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrdersTracing.Benchmarks.Export;

/// <summary>
/// How many spans per second one process can hand to the batch processor and OTLP exporter before the processor's
/// queue overflows and it drops spans, for several queue and batch settings. Spans are offered at fixed rates, rising,
/// to a receiver: the live dashboard (OTLP/gRPC), and a receiver that discards what it gets (OTLP/HTTP), so that the
/// export path's own limit shows apart from the receiver's. The drop count is the SDK's own.
/// </summary>
/// <remarks>
/// Usage: <c>export --dashboard http://127.0.0.1:4317 --sink http://127.0.0.1:4318 --seconds 3 --flush-seconds 10
/// --rounds 3 --rates 5000,10000 --output results.jsonl</c>. Each line of the output is one step as JSON.
/// </remarks>
public static class ExportPathBenchmark
{
    private static readonly ExportSettings Default = new("default: queue 2048, batch 512, delay 5 s", 2048, 512, 5000);

    private static readonly ExportSettings[] Settings =
    [
        Default,
        new("queue 8192, batch 512, delay 5 s", 8192, 512, 5000),
        new("queue 8192, batch 2048, delay 1 s", 8192, 2048, 1000),
        new("queue 32768, batch 4096, delay 1 s", 32768, 4096, 1000),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ExportRunOptions.Parse(args);
        await using var output = new StreamWriter(options.Output, append: false);

        // The dashboard is slow to take spans in: only the default settings go to it, the rest to the discarding receiver.
        var runs = new List<(string Receiver, ExportSettings Settings, Func<OtlpExporterOptions> Exporter)>
        {
            ("dashboard (OTLP/gRPC)", Default, () => new OtlpExporterOptions { Endpoint = options.Dashboard }),
        };
        runs.AddRange(Settings.Select(settings => ("discarding receiver (OTLP/HTTP)", settings, (Func<OtlpExporterOptions>)(() => new OtlpExporterOptions
        {
            Endpoint = new Uri(options.Sink, "/v1/traces"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
        }))));

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var (receiver, settings, exporter) in runs)
            {
                using var source = new ActivitySource("OrdersTracing.Benchmarks.Export");
                using var processor = new BatchActivityExportProcessor(
                    new OtlpTraceExporter(exporter()),
                    settings.MaxQueueSize,
                    settings.ScheduledDelayMilliseconds,
                    exporterTimeoutMilliseconds: 10_000,
                    settings.MaxExportBatchSize);
                using var provider = Sdk.CreateTracerProviderBuilder()
                    .ConfigureResource(resource => resource.AddService("export-bench"))
                    .AddSource(source.Name)
                    .AddProcessor(processor)
                    .Build();
                var counters = new ProcessorCounters(processor);

                foreach (var rate in options.Rates)
                {
                    var before = counters.Read();
                    var offered = Offer(source, rate, options.Duration);
                    // Drops happen as spans are offered (a full queue refuses them); the flush only empties the queue
                    // for the next step, and how long it takes tells how far the exporter fell behind.
                    var dropped = counters.Read().Dropped - before.Dropped;
                    var flush = Stopwatch.StartNew();
                    processor.ForceFlush((int)options.FlushTimeout.TotalMilliseconds);
                    var after = counters.Read();

                    var step = new ExportStep(
                        round, receiver, settings.Name, settings.MaxQueueSize, settings.MaxExportBatchSize, settings.ScheduledDelayMilliseconds,
                        rate, offered.Spans / offered.Elapsed.TotalSeconds, offered.Spans, dropped, after.Exported - before.Exported,
                        flush.Elapsed.TotalMilliseconds);
                    await output.WriteLineAsync(JsonSerializer.Serialize(step));
                    await output.FlushAsync();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} | {receiver} | {settings.Name} | offered {step.AchievedRate:F0}/s | dropped {step.Dropped} of {step.Offered} | flushed in {step.FlushMilliseconds:F0} ms"));
                }
            }
        }

        return 0;
    }

    /// <summary>Starts and ends spans at <paramref name="rate"/> per second (or as fast as it can) for <paramref name="duration"/>.</summary>
    private static (long Spans, TimeSpan Elapsed) Offer(ActivitySource source, int rate, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long spans = 0;
        while (clock.Elapsed < duration)
        {
            // Catch up with the schedule in a burst, as a request's spans arrive, then yield the core.
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; spans < due; spans++)
            {
                using var span = source.StartActivity("GET /api/orders", ActivityKind.Server);
                span?.SetTag("http.request.method", "GET")
                    .SetTag("http.route", "/api/orders")
                    .SetTag("http.response.status_code", 200)
                    .SetTag("url.path", "/api/orders")
                    .SetTag("tenant.id", "acme")
                    .SetTag("user.id", "alice");
            }

            Thread.Sleep(1);
        }

        return (spans, clock.Elapsed);
    }

    private sealed record ExportSettings(string Name, int MaxQueueSize, int MaxExportBatchSize, int ScheduledDelayMilliseconds);

    /// <param name="Exported">Spans handed to the exporter by the end of the step's flush (the flush may time out first).</param>
    private sealed record ExportStep(
        int Round, string Receiver, string Settings, int MaxQueueSize, int MaxExportBatchSize, int ScheduledDelayMilliseconds,
        int TargetRate, double AchievedRate, long Offered, long Dropped, long Exported, double FlushMilliseconds);

    /// <summary>
    /// The batch processor's own counts. The SDK keeps them internal (<c>DroppedCount</c>, <c>ProcessedCount</c>) and
    /// reports drops only through its EventSource at shutdown, so they are read by reflection; a missing property fails
    /// the run rather than report zero drops.
    /// </summary>
    private sealed class ProcessorCounters(BatchActivityExportProcessor processor)
    {
        private static readonly PropertyInfo DroppedCount = Internal("DroppedCount");
        private static readonly PropertyInfo ProcessedCount = Internal("ProcessedCount");

        public (long Dropped, long Exported) Read() =>
            ((long)DroppedCount.GetValue(processor)!, (long)ProcessedCount.GetValue(processor)!);

        private static PropertyInfo Internal(string name) =>
            typeof(BatchExportProcessor<Activity>).GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"BatchExportProcessor has no {name} in this OpenTelemetry version.");
    }
}
