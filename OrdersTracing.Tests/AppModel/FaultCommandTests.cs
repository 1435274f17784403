using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Faults;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Tests.AppModel;

public sealed class FaultCommandTests
{
    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    [InlineData("payments")]
    public async Task Each_service_has_a_dashboard_command_per_fault_it_injects_and_one_to_switch_all_off(string service)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);

        var commands = host.Resource(service).Annotations.OfType<ResourceCommandAnnotation>().Select(command => command.Name).ToList();

        var expected = FaultCatalogue.Of(service).Select(entry => FaultCommandExtensions.CommandName(entry.Kind)).Append(FaultCommandExtensions.AllOffCommand);
        Assert.Subset(commands.ToHashSet(), expected.ToHashSet());
        Assert.NotEmpty(FaultCatalogue.Of(service));
    }

    [Fact]
    public async Task Every_switchable_kind_has_a_command_on_the_service_that_injects_it()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);

        var commanded = host.Model.Resources
            .SelectMany(resource => resource.Annotations.OfType<ResourceCommandAnnotation>().Select(command => (resource.Name, command.Name)))
            .ToHashSet();

        Assert.All(FaultCatalogue.Entries.Where(entry => entry.IsSwitchable),
            entry => Assert.Contains((entry.Service, FaultCommandExtensions.CommandName(entry.Kind)), commanded));
    }
}
