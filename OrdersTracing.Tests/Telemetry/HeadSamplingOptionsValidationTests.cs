using Microsoft.Extensions.Options;

namespace OrdersTracing.Tests.Telemetry;

public sealed class HeadSamplingOptionsValidationTests
{
    [Fact]
    public async Task A_sampling_ratio_above_one_stops_the_host_from_starting()
    {
        await using var telemetry = TelemetryTestHost.Create(
            ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", "1.5"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains("OTEL_TRACES_SAMPLER_ARG", error.Message);
    }

    [Fact]
    public async Task A_sampling_ratio_that_is_not_a_number_stops_the_host_from_starting()
    {
        await using var telemetry = TelemetryTestHost.Create(
            ("OTEL_TRACES_SAMPLER", "traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", "10%"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains("OTEL_TRACES_SAMPLER_ARG", error.Message);
    }

    [Fact]
    public async Task A_sampler_the_sdk_does_not_know_stops_the_host_from_starting()
    {
        await using var telemetry = TelemetryTestHost.Create(("OTEL_TRACES_SAMPLER", "parentbased_ratio"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains("OTEL_TRACES_SAMPLER", error.Message);
        Assert.Contains("parentbased_traceidratio", error.Message);
    }

    [Fact]
    public async Task The_removed_sampling_ratio_setting_stops_the_host_and_names_its_replacement()
    {
        await using var telemetry = TelemetryTestHost.Create(("Tracing:SamplingRatio", "0.1"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains("Tracing:SamplingRatio", error.Message);
        Assert.Contains("OTEL_TRACES_SAMPLER_ARG=0.1", error.Message);
    }

    [Theory]
    [InlineData("always_on")]
    [InlineData("always_off")]
    [InlineData("traceidratio")]
    [InlineData("parentbased_always_on")]
    [InlineData("parentbased_always_off")]
    [InlineData("ParentBased_TraceIdRatio")]
    public async Task Every_sampler_the_sdk_knows_starts_the_host(string sampler)
    {
        await using var telemetry = TelemetryTestHost.Create(("OTEL_TRACES_SAMPLER", sampler), ("OTEL_TRACES_SAMPLER_ARG", "0.25"));

        await telemetry.StartAsync();
    }
}
