using Aspire.Hosting;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.Tests.AppModel;

public sealed class InfrastructureModeTests
{
    [Fact]
    public async Task An_unknown_infrastructure_mode_stops_the_apphost_with_the_allowed_values()
    {
        var creating = UnstartedAppHost.CreateBuilderAsync("Kubernetes", TestContext.Current.CancellationToken);

        var exception = await Assert.ThrowsAsync<DistributedApplicationException>(() => creating);

        Assert.All(
            [InfrastructureChoice.ConfigurationKey, "Kubernetes", .. Enum.GetNames<InfrastructureMode>()],
            expected => Assert.Contains(expected, exception.Message));
    }
}
