using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Jaeger;
using OrdersTracing.AppHost.OpenTelemetryCollector;
using OrdersTracing.AppHost.Postgres;

namespace OrdersTracing.Tests.AppModel;

public sealed class ContainerInfrastructureTests
{
    [Theory]
    [InlineData("postgres", "docker.io", "library/postgres", OrdersDatabaseExtensions.PostgresImageTag)]
    [InlineData("jaeger", JaegerExtensions.Registry, JaegerExtensions.Image, JaegerExtensions.ImageTag)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.Registry, OpenTelemetryCollectorExtensions.Image, OpenTelemetryCollectorExtensions.ImageTag)]
    public async Task Container_mode_runs_the_infrastructure_from_its_image(string resourceName, string registry, string image, string tag)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var container = Assert.IsType<ContainerResource>(host.Resource(resourceName), exactMatch: false);
        var annotation = Assert.Single(container.Annotations.OfType<ContainerImageAnnotation>());

        Assert.Equal((registry, image, tag), (annotation.Registry, annotation.Image, annotation.Tag));
    }

    [Fact]
    public async Task Container_mode_pins_the_tag_of_every_image()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var tags = host.Model.Resources.OfType<ContainerResource>()
            .SelectMany(container => container.Annotations.OfType<ContainerImageAnnotation>())
            .Select(annotation => (annotation.Image, annotation.Tag))
            .ToList();

        Assert.NotEmpty(tags);
        Assert.All(tags, image =>
        {
            Assert.False(string.IsNullOrWhiteSpace(image.Tag), $"{image.Image} has no tag");
            Assert.NotEqual("latest", image.Tag, StringComparer.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task Container_mode_keeps_the_orders_database_on_the_postgres_container()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var database = Assert.IsType<PostgresDatabaseResource>(host.Resource(OrdersDatabaseExtensions.ConnectionName));

        Assert.Equal((OrdersDatabaseExtensions.ConnectionName, "postgres"), (database.DatabaseName, database.Parent.Name));
    }

    [Theory]
    [InlineData("jaeger", JaegerExtensions.UiEndpointName, 16686)]
    [InlineData("jaeger", JaegerExtensions.OtlpGrpcEndpointName, 4317)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName, 4317)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.OtlpHttpEndpointName, 4318)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.HealthEndpointName, 13133)]
    public async Task Container_mode_exposes_each_tracing_port_the_image_listens_on(string resourceName, string endpointName, int containerPort)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var endpoint = Assert.Single(host.Resource(resourceName).Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == endpointName);

        Assert.Equal(containerPort, endpoint.TargetPort);
    }

    [Theory]
    [InlineData("jaeger")]
    [InlineData("collector")]
    public async Task Container_mode_health_checks_the_tracing_backends(string resourceName)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var healthChecks = host.Resource(resourceName).Annotations.OfType<HealthCheckAnnotation>();

        Assert.NotEmpty(healthChecks);
    }
}
