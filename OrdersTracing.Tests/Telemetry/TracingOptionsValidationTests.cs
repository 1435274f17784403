using Microsoft.Extensions.Options;

namespace OrdersTracing.Tests.Telemetry;

public sealed class TracingOptionsValidationTests
{
    [Fact]
    public async Task An_empty_deployment_environment_stops_the_host_from_starting()
    {
        await using var telemetry = TelemetryTestHost.Create(("Tracing:DeploymentEnvironment", ""));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains("Tracing:DeploymentEnvironment", error.Message);
    }

    [Fact]
    public async Task A_deployment_environment_with_capital_letters_stops_the_host_from_starting()
    {
        await using var telemetry = TelemetryTestHost.Create(("Tracing:DeploymentEnvironment", "Production"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(telemetry.StartAsync);

        Assert.Contains("Tracing:DeploymentEnvironment", error.Message);
    }
}
