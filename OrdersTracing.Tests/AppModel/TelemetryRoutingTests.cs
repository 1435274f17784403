using OrdersTracing.AppHost.Telemetry;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.Tests.AppModel;

public sealed class TelemetryRoutingTests
{
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    [InlineData("payments")]
    public async Task In_container_mode_a_service_exports_to_the_collector_instead_of_the_dashboard(string service)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync(service);

        var collector = host.Endpoint("collector", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName);
        Assert.Equal(collector.Url, environment[OtlpEndpointVariable]);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    [InlineData("payments")]
    public async Task In_local_mode_without_a_collector_a_service_exports_straight_to_the_dashboard(string service)
    {
        SkipWhenTracingProgramsAreInstalled();
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync(service);

        Assert.Equal(UnstartedAppHost.DashboardOtlpEndpoint, environment[OtlpEndpointVariable]);
    }

    [Fact]
    public async Task In_local_mode_without_the_tracing_programs_there_is_no_jaeger_or_collector()
    {
        SkipWhenTracingProgramsAreInstalled();
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);

        var names = host.Model.Resources.Select(resource => resource.Name).ToList();

        Assert.DoesNotContain("jaeger", names);
        Assert.DoesNotContain("collector", names);
    }

    // Local mode runs Jaeger and the Collector when both programs are on PATH; these tests are about the machines where they are not.
    private static void SkipWhenTracingProgramsAreInstalled() =>
        Assert.SkipWhen(
            new[] { JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program }.All(program => ListenerExtensions.FindOnPath(program) is not null),
            "jaeger and otelcol-contrib are both on PATH, so local mode runs them.");
}
