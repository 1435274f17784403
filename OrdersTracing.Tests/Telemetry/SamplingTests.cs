using System.Diagnostics;

namespace OrdersTracing.Tests.Telemetry;

public sealed class SamplingTests
{
    private const int RootTraceCount = 200;

    [Fact]
    public async Task Every_new_root_trace_is_kept_by_default()
    {
        await using var telemetry = TelemetryTestHost.Create();
        await telemetry.StartAsync();

        StartRootTraces(telemetry, RootTraceCount);

        Assert.Equal(RootTraceCount, telemetry.ExportedSpans.Count);
    }

    [Fact]
    public async Task A_sampling_ratio_of_zero_drops_new_root_traces()
    {
        await using var telemetry = TelemetryTestHost.Create(ParentBasedRatio("0"));
        await telemetry.StartAsync();

        StartRootTraces(telemetry, RootTraceCount);

        Assert.Empty(telemetry.ExportedSpans);
    }

    [Fact]
    public async Task A_sampling_ratio_of_one_half_keeps_about_half_of_new_root_traces()
    {
        await using var telemetry = TelemetryTestHost.Create(ParentBasedRatio("0.5"));
        await telemetry.StartAsync();

        StartRootTraces(telemetry, 2000);

        Assert.InRange(telemetry.ExportedSpans.Count, 800, 1200);
    }

    [Fact]
    public async Task A_child_of_a_sampled_remote_parent_is_kept_even_at_a_sampling_ratio_of_zero()
    {
        await using var telemetry = TelemetryTestHost.Create(ParentBasedRatio("0"));
        await telemetry.StartAsync();
        var parent = RemoteParent(traceFlags: "01");

        telemetry.Source.StartActivity("child", ActivityKind.Server, parent)?.Dispose();

        var span = Assert.Single(telemetry.ExportedSpans);
        Assert.Equal(parent.TraceId, span.TraceId);
    }

    [Fact]
    public async Task A_child_of_an_unsampled_remote_parent_is_dropped_even_at_a_sampling_ratio_of_one()
    {
        await using var telemetry = TelemetryTestHost.Create(ParentBasedRatio("1"));
        await telemetry.StartAsync();
        var parent = RemoteParent(traceFlags: "00");

        telemetry.Source.StartActivity("child", ActivityKind.Server, parent)?.Dispose();

        Assert.Empty(telemetry.ExportedSpans);
    }

    [Fact]
    public async Task The_standard_always_off_sampler_drops_new_root_traces()
    {
        await using var telemetry = TelemetryTestHost.Create(("OTEL_TRACES_SAMPLER", "always_off"));
        await telemetry.StartAsync();

        StartRootTraces(telemetry, RootTraceCount);

        Assert.Empty(telemetry.ExportedSpans);
    }

    [Fact]
    public async Task The_standard_trace_id_ratio_sampler_with_an_argument_of_zero_drops_new_root_traces()
    {
        await using var telemetry = TelemetryTestHost.Create(
            ("OTEL_TRACES_SAMPLER", "traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", "0"));
        await telemetry.StartAsync();

        StartRootTraces(telemetry, RootTraceCount);

        Assert.Empty(telemetry.ExportedSpans);
    }

    /// <summary>The standard variables as the AppHost sets them from its <c>head-sampling-ratio</c> parameter.</summary>
    private static (string Key, string? Value)[] ParentBasedRatio(string ratio) =>
        [("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", ratio)];

    private static void StartRootTraces(TelemetryTestHost telemetry, int count)
    {
        for (var i = 0; i < count; i++)
        {
            telemetry.Source.StartActivity("root")?.Dispose();
        }
    }

    /// <summary>The context an incoming <c>traceparent</c> header carries, as a service receives it.</summary>
    private static ActivityContext RemoteParent(string traceFlags)
    {
        var traceparent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-{traceFlags}";
        Assert.True(ActivityContext.TryParse(traceparent, traceState: null, isRemote: true, out var parent));
        return parent;
    }
}
