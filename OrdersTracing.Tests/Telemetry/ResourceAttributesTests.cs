using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Tests.Telemetry;

public sealed class ResourceAttributesTests
{
    [Fact]
    public async Task The_service_name_is_the_application_name_by_default()
    {
        await using var telemetry = TelemetryTestHost.Create();

        await telemetry.StartAsync();

        Assert.Equal(TelemetryTestHost.ApplicationName, telemetry.ResourceAttributes["service.name"]);
    }

    [Fact]
    public async Task The_service_name_comes_from_OTEL_SERVICE_NAME_when_it_is_configured()
    {
        await using var telemetry = TelemetryTestHost.Create(("OTEL_SERVICE_NAME", "orders-api"));

        await telemetry.StartAsync();

        Assert.Equal("orders-api", telemetry.ResourceAttributes["service.name"]);
    }

    [Fact]
    public async Task Every_service_reports_its_version()
    {
        await using var telemetry = TelemetryTestHost.Create();

        await telemetry.StartAsync();

        var version = Assert.IsType<string>(telemetry.ResourceAttributes["service.version"]);
        Assert.NotEmpty(version);
    }

    [Fact]
    public async Task Every_service_instance_reports_an_instance_id()
    {
        await using var telemetry = TelemetryTestHost.Create();

        await telemetry.StartAsync();

        var instanceId = Assert.IsType<string>(telemetry.ResourceAttributes["service.instance.id"]);
        Assert.NotEmpty(instanceId);
    }

    [Fact]
    public async Task The_service_instance_id_comes_from_OTEL_RESOURCE_ATTRIBUTES_when_it_is_configured()
    {
        await using var telemetry = TelemetryTestHost.Create(("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=abc"));

        await telemetry.StartAsync();

        Assert.Equal("abc", telemetry.ResourceAttributes["service.instance.id"]);
    }

    [Fact]
    public async Task The_deployment_environment_is_development_by_default()
    {
        await using var telemetry = TelemetryTestHost.Create();

        await telemetry.StartAsync();

        Assert.Equal("development", telemetry.ResourceAttributes[TelemetryTags.DeploymentEnvironment]);
        Assert.Equal("development", telemetry.ResourceAttributes[TelemetryTags.DeploymentEnvironmentName]);
    }

    [Fact]
    public async Task The_deployment_environment_is_the_configured_one()
    {
        await using var telemetry = TelemetryTestHost.Create(("Tracing:DeploymentEnvironment", "staging"));

        await telemetry.StartAsync();

        Assert.Equal("staging", telemetry.ResourceAttributes[TelemetryTags.DeploymentEnvironment]);
        Assert.Equal("staging", telemetry.ResourceAttributes[TelemetryTags.DeploymentEnvironmentName]);
    }
}
