using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Identity;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Services;
using OrdersTracing.ServiceDefaults.Identity;

namespace OrdersTracing.Tests.AppModel;

public sealed class ServiceWiringTests
{
    [Theory]
    [InlineData(InfrastructureMode.Containers, "ordersdb")]
    [InlineData(InfrastructureMode.Local, "postgres")]
    public async Task The_api_waits_until_the_orders_database_is_healthy(InfrastructureMode mode, string database)
    {
        await using var host = await UnstartedAppHost.BuildAsync(mode);

        var waits = host.Resource("api").Annotations.OfType<WaitAnnotation>();

        Assert.Contains(waits, wait => wait.Resource.Name == database && wait.WaitType == WaitType.WaitUntilHealthy);
    }

    [Fact]
    public async Task The_api_calls_the_payment_provider_at_its_http_endpoint()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("api");

        Assert.Equal(host.Endpoint("payments", "http").Url, environment["PaymentProvider__BaseUrl"]);
    }

    [Fact]
    public async Task The_web_finds_the_api_through_service_discovery()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("web");

        Assert.Equal(host.Endpoint("api", "http").Url, environment["services__api__http__0"]);
    }

    [Fact]
    public async Task The_web_signs_with_the_current_key_and_the_api_accepts_it_and_the_previous_one()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var web = await host.EnvironmentOfAsync("web");
        var api = await host.EnvironmentOfAsync("api");

        Assert.Equal(api[ServiceTokenResourceExtensions.SigningKeyVariable], web[ServiceTokenResourceExtensions.SigningKeyVariable]);
        Assert.True(api[ServiceTokenResourceExtensions.SigningKeyVariable].Length >= ServiceTokenOptions.MinimumKeyLength);
        Assert.NotEqual(api[ServiceTokenResourceExtensions.SigningKeyVariable], api[ServiceTokenResourceExtensions.PreviousSigningKeyVariable]);
        Assert.False(web.ContainsKey(ServiceTokenResourceExtensions.PreviousSigningKeyVariable));
    }

    [Fact]
    public async Task The_web_waits_until_the_api_is_healthy()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var waits = host.Resource("web").Annotations.OfType<WaitAnnotation>();

        Assert.Contains(waits, wait => wait.Resource.Name == "api" && wait.WaitType == WaitType.WaitUntilHealthy);
    }

    [Theory]
    [InlineData(InfrastructureMode.Containers)]
    [InlineData(InfrastructureMode.Local)]
    public async Task The_api_replicas_parameter_runs_that_many_api_processes(InfrastructureMode mode)
    {
        await using var host = await UnstartedAppHost.BuildAsync(mode, $"--Parameters:{ServiceReplicasExtensions.ApiReplicasName}=2");

        var replicas = host.Resource("api").Annotations.OfType<ReplicaAnnotation>();

        Assert.Equal(2, Assert.Single(replicas).Replicas);
    }

    [Fact]
    public async Task One_api_process_runs_by_default()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);

        Assert.Empty(host.Resource("api").Annotations.OfType<ReplicaAnnotation>());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("9")]
    public async Task An_impossible_number_of_api_replicas_stops_the_apphost_naming_the_parameter(string value)
    {
        var building = UnstartedAppHost.BuildAsync(InfrastructureMode.Local, $"--Parameters:{ServiceReplicasExtensions.ApiReplicasName}={value}");

        var error = await Assert.ThrowsAsync<Aspire.Hosting.DistributedApplicationException>(async () => await (await building).DisposeAsync());

        Assert.Contains($"Parameters:{ServiceReplicasExtensions.ApiReplicasName}", error.Message);
    }
}
