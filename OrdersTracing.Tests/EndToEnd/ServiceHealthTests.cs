using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class ServiceHealthTests(OrdersAppFixture fixture)
{
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    [InlineData("payments")]
    public async Task The_apphost_reports_a_service_healthy_from_its_health_endpoint_not_from_its_process_having_started(string service)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(HealthDeadline);

        // A resource with no health check counts as healthy as soon as its process runs, before it listens: WaitFor
        // would release Web, and the tests, to a service still migrating its database. The dashboard shows the reports.
        ResourceEvent? state = null;
        try
        {
            state = await fixture.App.ResourceNotifications.WaitForResourceAsync(
                service, resource => resource.Snapshot.HealthReports.Any(report => report.Status is not null), deadline.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        Assert.True(state is not null, $"The AppHost reported no health check result for {service} within {HealthDeadline.TotalSeconds} s.");
        var report = Assert.Single(state.Snapshot.HealthReports);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }
}
