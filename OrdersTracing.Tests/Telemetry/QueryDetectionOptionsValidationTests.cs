using Microsoft.Extensions.Options;

namespace OrdersTracing.Tests.Telemetry;

public sealed class QueryDetectionOptionsValidationTests
{
    [Theory]
    [InlineData("MinimumRepeatedQueries", "1")]
    [InlineData("MinimumTotalDuration", "-00:00:01")]
    [InlineData("SlowQueryThreshold", "00:00:00")]
    [InlineData("MaxTrackedTraces", "0")]
    [InlineData("MaxSpansPerRoot", "1")]
    [InlineData("MinimumRepeatedHttpCalls", "1")]
    [InlineData("ConsecutiveQueriesMinimumTimeSavedRatio", "1.5")]
    [InlineData("MaximumSequenceLength", "1")]
    [InlineData("LargePayloadBytes", "0")]
    public async Task An_out_of_range_setting_stops_the_host_from_starting_and_names_the_setting(string setting, string value)
    {
        var key = $"Tracing:QueryDetection:{setting}";
        await using var telemetry = TelemetryTestHost.Create((key, value));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains(key, error.Message);
    }
}
