using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Redis;

namespace OrdersTracing.Tests.AppModel;

/// <summary>The order cache in both modes: Debian's redis-server as a local process, or Aspire's Redis container.</summary>
public sealed class OrderCacheResourceTests
{
    [Fact]
    public async Task Local_mode_runs_redis_as_a_local_process_from_its_script()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);

        var redis = Assert.IsType<LocalRedisResource>(host.Resource(OrderCacheResourceExtensions.ConnectionName));
        var arguments = await host.ArgumentsOfAsync(OrderCacheResourceExtensions.ConnectionName);

        Assert.DoesNotContain(redis.Annotations, annotation => annotation is ContainerImageAnnotation);
        var script = Assert.Single(arguments);
        Assert.True(File.Exists(script), $"{script} does not exist");
        Assert.Equal("run-local-redis.sh", Path.GetFileName(script));
    }

    [Fact]
    public async Task Local_mode_gives_the_api_a_connection_string_to_the_cache_on_the_allocated_port()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("api");

        var port = host.Endpoint(OrderCacheResourceExtensions.ConnectionName, LocalRedisResource.PrimaryEndpointName).Port;
        Assert.Equal(
            $"localhost:{port.ToString(CultureInfo.InvariantCulture)},password={UnstartedAppHost.CachePassword}",
            environment[$"ConnectionStrings__{OrderCacheResourceExtensions.ConnectionName}"]);
    }

    [Fact]
    public async Task The_api_is_told_to_name_its_cache_spans_by_the_current_database_conventions()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("api");

        Assert.Equal("database", environment[OrderCacheResourceExtensions.SemanticConventionOptIn]);
    }

    [Fact]
    public async Task Container_mode_runs_the_cache_from_a_pinned_redis_image()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var redis = Assert.IsType<RedisResource>(host.Resource(OrderCacheResourceExtensions.ConnectionName));
        var image = Assert.Single(redis.Annotations.OfType<ContainerImageAnnotation>());

        Assert.Equal(("library/redis", OrderCacheResourceExtensions.RedisImageTag), (image.Image, image.Tag));
    }

    [Theory]
    [InlineData(InfrastructureMode.Local)]
    [InlineData(InfrastructureMode.Containers)]
    public async Task The_api_waits_for_the_cache_before_it_starts(InfrastructureMode mode)
    {
        await using var host = await UnstartedAppHost.BuildAsync(mode);

        var waits = host.Resource("api").Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name);

        Assert.Contains(OrderCacheResourceExtensions.ConnectionName, waits);
    }
}
