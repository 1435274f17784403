using System.Diagnostics;
using System.Net;
using OrdersTracing.ServiceDefaults.Faults;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(FaultsCollection.Name)]
public sealed class ApiCrashRecoveryTests(FaultsAppFixture fixture) : IAsyncDisposable
{
    private const int Orders = 12;

    public async ValueTask DisposeAsync() => await fixture.SwitchFaultsOffAsync();

    [Fact]
    public async Task An_api_killed_while_charging_background_payments_charges_each_order_exactly_once_after_restart()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        // Each first charge takes a second to answer, so the kill falls in the middle of the worker's batch however
        // fast the machine is: some payments charged and not yet recorded, some not charged at all.
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.ProviderTimeout, FaultCatalogue.Services.Payments, Amount: 1000, Attempts: 1));
        var placed = await FaultLoad.PlaceOrdersAsync(api, tenant, Orders, concurrency: 4, payment: "Background");
        Assert.All(placed, order => Assert.Equal(HttpStatusCode.Created, order.Status));
        var orderIds = placed.Select(order => order.OrderId!).ToList();

        var chargedBeforeKill = await Poll.UntilAsync<int>(async () => await fixture.CountChargedAsync(orderIds) is > 0 and var charged ? charged : (int?)null);
        await KillApiAsync();
        var restarted = Stopwatch.StartNew();
        await fixture.StartApiAsync(KnownResourceCommands.StartCommand);
        var outbox = await Poll.UntilAsync<OutboxCounts>(async () => await fixture.ReadOutboxAsync(tenant) is { Pending: 0 } settled ? settled : null);
        var charges = new List<(int Requests, int Charges)>();
        foreach (var orderId in orderIds)
        {
            charges.Add(await fixture.GetChargesAsync(orderId));
        }

        FaultLoad.Report("api-killed",
            $"{Orders} orders with background payments; Api killed (SIGKILL) once the provider had charged {chargedBeforeKill}; all settled {restarted.Elapsed.TotalSeconds:F1} s after restart; "
            + $"outbox: {outbox.Processed} processed, {outbox.Pending} pending; {outbox.Paid} paid; charges per order: {string.Join(",", charges.Select(charge => charge.Charges))}");
        Assert.InRange(chargedBeforeKill, 1, Orders - 1);
        Assert.Equal(Orders, outbox.Processed);
        Assert.Equal(Orders, outbox.Paid);
        Assert.All(charges, charge => Assert.Equal(1, charge.Charges));
    }

    /// <summary>SIGKILL, no shutdown: the process under <c>dotnet run</c> first, so nothing is left holding the port.</summary>
    private async Task KillApiAsync()
    {
        foreach (var pid in LocalProcesses.TreeOf(fixture.ProcessIdOf("api")).Reverse())
        {
            LocalProcesses.Signal(pid, "KILL");
        }

        await fixture.WaitUntilStoppedAsync("api");
    }
}
