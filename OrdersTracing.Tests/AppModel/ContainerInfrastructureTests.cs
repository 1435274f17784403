using OrdersTracing.AppHost.Telemetry;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Postgres;

namespace OrdersTracing.Tests.AppModel;

public sealed class ContainerInfrastructureTests
{
    [Fact]
    public async Task Container_mode_runs_postgres_from_its_pinned_image()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var container = Assert.IsType<ContainerResource>(host.Resource("postgres"), exactMatch: false);
        var annotation = Assert.Single(container.Annotations.OfType<ContainerImageAnnotation>());

        Assert.Equal(("docker.io", "library/postgres", OrdersDatabaseResourceExtensions.PostgresImageTag), (annotation.Registry, annotation.Image, annotation.Tag));
    }

    [Theory]
    [InlineData("jaeger", "Telemetry/Jaeger", "quay.io/jaegertracing/jaeger", "JAEGER_VERSION", JaegerExtensions.ImageTag)]
    [InlineData("collector", "Telemetry/OpenTelemetryCollector", "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib", "COLLECTOR_VERSION", OpenTelemetryCollectorExtensions.ImageTag)]
    public async Task Container_mode_builds_the_tracing_backends_from_a_pinned_image_with_their_config_inside(
        string resourceName, string folder, string image, string versionArgument, string tag)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var resource = host.Resource(resourceName);
        var build = Assert.Single(resource.Annotations.OfType<DockerfileBuildAnnotation>());
        var dockerfile = await File.ReadAllTextAsync(build.DockerfilePath, TestContext.Current.CancellationToken);

        Assert.Equal(CollectorConfig.FolderOf(folder), Path.GetFullPath(build.ContextPath));
        Assert.Equal(tag, build.BuildArguments[versionArgument]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", tag);
        Assert.Contains($"FROM {image}:${{{versionArgument}}}", dockerfile);
        Assert.Contains("COPY config.yaml", dockerfile);
        // The config is inside the image, never bind-mounted; a named data volume is all a deployment has to give.
        Assert.DoesNotContain(resource.Annotations.OfType<ContainerMountAnnotation>(), mount => mount.Type == ContainerMountType.BindMount);
    }

    [Fact]
    public async Task Container_mode_pins_the_tag_of_every_pulled_image()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var tags = host.Model.Resources.OfType<ContainerResource>()
            .Where(container => !container.Annotations.OfType<DockerfileBuildAnnotation>().Any())
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

        var database = Assert.IsType<PostgresDatabaseResource>(host.Resource(OrdersDatabaseResourceExtensions.ConnectionName));

        Assert.Equal((OrdersDatabaseResourceExtensions.ConnectionName, "postgres"), (database.DatabaseName, database.Parent.Name));
    }

    [Theory]
    [InlineData("jaeger", JaegerExtensions.UiEndpointName, 16686)]
    [InlineData("jaeger", JaegerExtensions.OtlpGrpcEndpointName, 4317)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName, 4317)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.OtlpHttpEndpointName, 4318)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.HealthEndpointName, 13133)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.PrometheusEndpointName, 8889)]
    [InlineData("collector", OpenTelemetryCollectorExtensions.TelemetryEndpointName, 8888)]
    public async Task Container_mode_exposes_each_tracing_port_the_image_listens_on(string resourceName, string endpointName, int containerPort)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var endpoint = Assert.Single(host.Resource(resourceName).Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == endpointName);

        Assert.Equal(containerPort, endpoint.TargetPort);
    }

    [Theory]
    [InlineData("jaeger")]
    [InlineData("collector")]
    [InlineData("prometheus")]
    public async Task Container_mode_health_checks_the_tracing_backends(string resourceName)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var healthChecks = host.Resource(resourceName).Annotations.OfType<HealthCheckAnnotation>();

        Assert.NotEmpty(healthChecks);
    }
}
