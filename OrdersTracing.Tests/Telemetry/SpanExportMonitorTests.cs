using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry.Export;

namespace OrdersTracing.Tests.Telemetry;

public sealed class SpanExportMonitorTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ActivitySource source = new($"{nameof(SpanExportMonitorTests)}.{Guid.NewGuid():N}");
    private readonly MeterListener listener = new();
    private readonly List<(string Instrument, long Value, string? ErrorType)> measurements = [];

    public SpanExportMonitorTests()
    {
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == SpanExportMonitor.MeterName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var errorType = tags.ToArray().FirstOrDefault(tag => tag.Key == TelemetryTags.ErrorType).Value as string;
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, errorType));
            }
        });
        listener.Start();
    }

    [Fact]
    public void Spans_that_find_the_export_queue_full_are_dropped_and_each_one_is_counted()
    {
        using var monitor = CreateMonitor(queueCapacity: 10);
        var exported = new List<Activity>();
        // The in-memory exporter never reports back, so the first ten spans hold the queue's ten places.
        using var tracing = StartTracing(new BoundedBatchExportProcessor(new InMemoryExporter<Activity>(exported), monitor, new BatchExportActivityProcessorOptions()));

        EndSpans(25);
        tracing.ForceFlush();

        Assert.Equal(15, monitor.DroppedTotal);
        Assert.Equal(10, exported.Count);
        Assert.Equal(15, Sum(SpanExportMonitor.ProcessedCounterName, SpanExportMonitor.QueueFull));
    }

    [Fact]
    public void Spans_the_backend_refuses_are_counted_as_dropped_with_the_reason()
    {
        using var monitor = CreateMonitor(queueCapacity: 100);
        var options = new OtlpExporterOptions { Endpoint = new Uri($"http://127.0.0.1:{ClosedPort()}/v1/traces"), Protocol = OtlpExportProtocol.HttpProtobuf, TimeoutMilliseconds = 10_000 };
        using var tracing = StartTracing(new BoundedBatchExportProcessor(new CountingOtlpTraceExporter(options, monitor), monitor, new BatchExportActivityProcessorOptions()));

        EndSpans(5);
        tracing.ForceFlush();

        Assert.Equal(5, monitor.DroppedTotal);
        Assert.Equal(5, Sum(SpanExportMonitor.ExportedCounterName, SpanExportMonitor.ExportFailed));
    }

    public void Dispose()
    {
        listener.Dispose();
        source.Dispose();
        services.Dispose();
    }

    private SpanExportMonitor CreateMonitor(int queueCapacity) =>
        new(queueCapacity, "http://127.0.0.1", services.GetRequiredService<IMeterFactory>(), NullLogger.Instance, TimeProvider.System);

    private TracerProvider StartTracing(BaseProcessor<Activity> processor) =>
        Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddProcessor(processor).Build()!;

    private void EndSpans(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var span = source.StartActivity("work");
        }
    }

    private long Sum(string instrument, string errorType)
    {
        lock (measurements)
        {
            return measurements.Where(m => m.Instrument == instrument && m.ErrorType == errorType).Sum(m => m.Value);
        }
    }

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
