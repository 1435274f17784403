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
/// to a live OTLP receiver; the drop count is the SDK's own.
/// </summary>
/// <remarks>
/// Usage: <c>export --endpoint http://127.0.0.1:4317 --seconds 3 --rounds 3 --rates 5000,10000 --output results.jsonl</c>.
/// Each line of the output is one (round, settings, rate) step as JSON.
/// </remarks>
public static class ExportPathBenchmark
{
    private static readonly (string Name, int MaxQueueSize, int MaxExportBatchSize, int ScheduledDelayMilliseconds)[] Settings =
    [
        ("default: queue 2048, batch 512, delay 5 s", 2048, 512, 5000),
        ("queue 8192, batch 512, delay 5 s", 8192, 512, 5000),
        ("queue 8192, batch 2048, delay 1 s", 8192, 2048, 1000),
        ("queue 32768, batch 4096, delay 1 s", 32768, 4096, 1000),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ExportRunOptions.Parse(args);
        await using var output = new StreamWriter(options.Output, append: false);

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var settings in Settings)
            {
                using var source = new ActivitySource("OrdersTracing.Benchmarks.Export");
                using var processor = new BatchActivityExportProcessor(
                    new OtlpTraceExporter(new OtlpExporterOptions { Endpoint = options.Endpoint }),
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
                    // Whatever is still queued gets its chance: only spans the queue refused count as dropped.
                    processor.ForceFlush(30_000);
                    var after = counters.Read();

                    var step = new ExportStep(
                        round, settings.Name, settings.MaxQueueSize, settings.MaxExportBatchSize, settings.ScheduledDelayMilliseconds,
                        rate, offered.Spans / offered.Elapsed.TotalSeconds, offered.Spans,
                        after.Dropped - before.Dropped, after.Exported - before.Exported);
                    await output.WriteLineAsync(JsonSerializer.Serialize(step));
                    await output.FlushAsync();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} | {settings.Name} | offered {step.AchievedRate:F0}/s | dropped {step.Dropped} of {step.Offered}"));
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

    private sealed record ExportStep(
        int Round, string Settings, int MaxQueueSize, int MaxExportBatchSize, int ScheduledDelayMilliseconds,
        int TargetRate, double AchievedRate, long Offered, long Dropped, long Exported);

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
