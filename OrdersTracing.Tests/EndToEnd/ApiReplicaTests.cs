using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.AppHost.Payments;
using OrdersTracing.AppHost.Services;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Two Api processes on one database: the outbox, the idempotency keys and the webhook must hold whichever replica does
/// the work, and the traces must say which one did (<c>service.instance.id</c>).
/// </summary>
[Collection(ApiReplicasCollection.Name)]
public sealed class ApiReplicaTests(ApiReplicasAppFixture fixture) : IAsyncDisposable
{
    private const string InstanceIdAttribute = "service.instance.id";

    public async ValueTask DisposeAsync() => await fixture.SwitchFaultsOffAsync();

    [Fact]
    public void Each_replica_reports_an_instance_id_of_its_own()
    {
        var replicas = fixture.CurrentReplicas();

        Assert.Equal(ApiReplicasAppFixture.Replicas, replicas.Count);
        Assert.Equal(replicas.Count, replicas.Select(replica => replica.InstanceId).Distinct().Count());
        Assert.Equal(replicas.Count, replicas.Select(replica => replica.ProcessId).Distinct().Count());
    }

    [Fact]
    public async Task A_burst_of_orders_with_background_payments_is_charged_exactly_once_each_by_both_replicas_workers()
    {
        const int Orders = 40;
        var tenant = TestIds.Tenant();
        // Half through each replica's own port: the AppHost's proxy spreads connections, not requests, so a client
        // with a few kept-alive connections can land every order on one replica (seen in CI: 40 and 0).
        var clients = fixture.CurrentReplicas().Select(fixture.CreateReplicaClient).ToList();

        var placed = (await Task.WhenAll(clients.Select(client =>
            FaultLoad.PlaceOrdersAsync(client, tenant, Orders / clients.Count, concurrency: 4, payment: "Background")))).SelectMany(orders => orders).ToList();
        clients.ForEach(client => client.Dispose());
        Assert.All(placed, order => Assert.Equal(HttpStatusCode.Created, order.Status));
        var orderIds = placed.Select(order => order.OrderId!).ToHashSet();
        var settling = Stopwatch.StartNew();
        var outbox = await Poll.UntilAsync<OutboxCounts>(async () => await fixture.ReadOutboxAsync(tenant) is { Pending: 0 } settled ? settled : null, "every payment settled");
        var settled = settling.Elapsed;
        var charges = await ChargesAsync(orderIds);
        // Each replica exports its own spans: wait for every order's create as well as its payment.
        var spans = await fixture.Telemetry.WaitForSpansAsync(spans =>
            spans.Count(span => span.Name == OrdersTelemetry.Spans.ProcessPayment && orderIds.Contains(span[TelemetryTags.OrderId] ?? "")) >= Orders
            && spans.Count(span => span.Name == OrdersTelemetry.Spans.CreateOrder && orderIds.Contains(span[TelemetryTags.OrderId] ?? "")) >= Orders);
        var payingReplicas = InstancesOf(spans, OrdersTelemetry.Spans.ProcessPayment, orderIds);
        var placingReplicas = InstancesOf(spans, OrdersTelemetry.Spans.CreateOrder, orderIds);

        FaultLoad.Report("api-replicas-burst",
            $"{Orders} orders (4 at a time through each replica) with background payments on {ApiReplicasAppFixture.Replicas} Api replicas; settled {settled.TotalSeconds:F1} s after the last was placed; "
            + $"{charges.Sum()} charges; payments taken per replica: {Describe(payingReplicas)}; orders placed per replica: {Describe(placingReplicas)}");
        Assert.Equal((0, Orders, Orders), (outbox.Pending, outbox.Processed, outbox.Paid));
        Assert.All(charges, charge => Assert.Equal(1, charge));
        Assert.Equal(Instances(), payingReplicas.Keys.Order());
        Assert.Equal(Instances(), placingReplicas.Keys.Order());
    }

    [Fact]
    public async Task A_replica_killed_in_the_middle_of_a_batch_loses_no_payment_and_charges_none_twice()
    {
        const int Orders = 16;
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        // Each first charge takes a second to answer: both workers hold a batch of claimed rows for seconds, some
        // charged and not yet recorded, when the kill falls.
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.ProviderTimeout, FaultCatalogue.Services.Payments, Amount: 1000, Attempts: 1));
        var placed = await FaultLoad.PlaceOrdersAsync(api, tenant, Orders, concurrency: 8, payment: "Background");
        Assert.All(placed, order => Assert.Equal(HttpStatusCode.Created, order.Status));
        var orderIds = placed.Select(order => order.OrderId!).ToList();

        var chargedBeforeKill = await Poll.UntilAsync<int>(async () => await fixture.CountChargedAsync(orderIds) is >= 2 and var charged ? charged : null, "the first charges");
        // The victim is a replica in the middle of a batch: its worker holds claimed payments, some charged already.
        var victim = (await Poll.UntilAsync<ApiReplicaChoice>(async () =>
            (await fixture.ReplicasHoldingClaimsAsync()).FirstOrDefault() is { } holding ? new ApiReplicaChoice(holding) : null, "a replica holding claimed payments")).Replica;
        await KillAsync(victim);
        var killed = Stopwatch.StartNew();
        var outbox = await Poll.UntilAsync<OutboxCounts>(async () => await fixture.ReadOutboxAsync(tenant) is { Pending: 0 } settled ? settled : null, "every payment settled by the surviving replica");
        var settledAfterKill = killed.Elapsed;
        var ledger = new List<(int Requests, int Charges)>();
        foreach (var orderId in orderIds)
        {
            ledger.Add(await fixture.GetChargesAsync(orderId));
        }

        var restart = await fixture.App.ResourceCommands.ExecuteCommandAsync(victim.ResourceId, KnownResourceCommands.StartCommand, TestContext.Current.CancellationToken);
        await fixture.WaitForAllReplicasHealthyAsync(TestContext.Current.CancellationToken);
        // The app model can still show the replica healthy from before the kill: the tests after this one call each
        // replica's own port, so wait until the restarted process answers there (CI: connection refused).
        using var restarted = fixture.CreateReplicaClient(fixture.CurrentReplicas().Single(replica => replica.ResourceId == victim.ResourceId));
        await Poll.UntilAsync<bool>(async () =>
        {
            try
            {
                using var health = await restarted.GetAsync(ServiceHealth.Path, TestContext.Current.CancellationToken);
                return health.IsSuccessStatusCode ? true : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, "the restarted replica answering on its own port");

        var retried = ledger.Count(entry => entry.Requests > 1);
        FaultLoad.Report("api-replica-killed",
            $"{Orders} orders with background payments on {ApiReplicasAppFixture.Replicas} replicas; one replica killed (SIGKILL) once the provider had charged {chargedBeforeKill}; "
            + $"replica {victim.InstanceId} held claimed payments; all settled {settledAfterKill.TotalSeconds:F1} s after the kill by the other; outbox: {outbox.Processed} processed, {outbox.Paid} paid; "
            + $"{ledger.Sum(entry => entry.Charges)} charges for {Orders} orders; {retried} payments asked for again with their idempotency key");
        Assert.Equal((0, Orders, Orders), (outbox.Pending, outbox.Processed, outbox.Paid));
        Assert.All(ledger, entry => Assert.Equal(1, entry.Charges));
        Assert.True(restart.Success, restart.Message);
    }

    [Fact]
    public async Task A_webhook_delivered_to_both_replicas_at_once_is_applied_once()
    {
        const int CopiesPerReplica = 3;
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        var orderId = await ApiCalls.PlaceDeclinedOrderAsync(api, tenant);
        var secret = await fixture.EnvironmentVariableAsync("api", $"{PaymentProviderResourceExtensions.ConfigurationSection}__WebhookSecret", TestContext.Current.CancellationToken);
        var paymentId = $"pi_{Guid.NewGuid():N}";
        var clients = fixture.CurrentReplicas().Select(fixture.CreateReplicaClient).ToList();

        var answers = await Task.WhenAll(clients.SelectMany(client => Enumerable.Range(0, CopiesPerReplica).Select(async _ =>
        {
            using var webhook = ApiCalls.SucceededWebhook(orderId, tenant, paymentId, secret);
            using var response = await client.SendAsync(webhook, TestContext.Current.CancellationToken);
            return response.StatusCode;
        })));
        var deliveries = ApiReplicasAppFixture.Replicas * CopiesPerReplica;
        var spans = await fixture.Telemetry.WaitForSpansAsync(spans =>
            spans.Count(span => span.Name == OrdersTelemetry.Spans.ReceiveWebhook && span[TelemetryTags.OrderId] == orderId) >= deliveries);
        var webhooks = spans.Where(span => span.Name == OrdersTelemetry.Spans.ReceiveWebhook && span[TelemetryTags.OrderId] == orderId).ToList();
        clients.ForEach(client => client.Dispose());

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal("paid", await ApiCalls.PaymentStatusAsync(api, tenant, orderId));
        Assert.Single(webhooks, span => span[OrdersTelemetry.Tags.PaymentApplied] == "true");
        Assert.Equal(Instances(), webhooks.Select(span => span.Resource[InstanceIdAttribute]).Distinct().Order());
    }

    [Fact]
    public async Task Web_spreads_its_calls_over_the_replicas()
    {
        // The AppHost's proxy spreads connections, not requests, and a replica restarted by an earlier test rejoins it a
        // moment after it answers on its own port (seen in CI: one round of 6 all on one replica): groups of people
        // place orders at once until every replica has placed some, a few groups at most.
        const int People = 6;
        const int MostRounds = 5;
        var tenant = TestIds.Tenant();
        var orderIds = new HashSet<string>();
        var served = new Dictionary<string, int>();
        var rounds = 0;
        while (rounds < MostRounds && !served.Keys.Order().SequenceEqual(Instances()))
        {
            rounds++;
            var orders = await Task.WhenAll(Enumerable.Range(0, People).Select(async _ =>
            {
                using var web = fixture.CreateWebSession();
                await web.SignInAsync(tenant, TestIds.User());
                var page = await web.PlaceOrderAsync("pm_card_visa", ("coffee-beans", 1, 9.50m));
                Assert.Equal(HttpStatusCode.OK, page.Status);
                return page.Url.Segments[^1];
            }));
            orderIds.UnionWith(orders);
            var spans = await fixture.Telemetry.WaitForSpansAsync(spans =>
                spans.Count(span => span.Name == OrdersTelemetry.Spans.CreateOrder && orderIds.Contains(span[TelemetryTags.OrderId] ?? "")) >= orderIds.Count);
            served = InstancesOf(spans, OrdersTelemetry.Spans.CreateOrder, orderIds);
        }

        FaultLoad.Report("api-replicas-web",
            $"{rounds} round(s) of {People} people placing an order through Web at once; orders placed per Api replica: {Describe(served)}");
        Assert.Equal(Instances(), served.Keys.Order());
    }

    /// <summary>A replica found by a poll (which needs a value type).</summary>
    private readonly record struct ApiReplicaChoice(ApiReplica Replica);

    private IOrderedEnumerable<string> Instances() => fixture.CurrentReplicas().Select(replica => replica.InstanceId).Order();

    /// <summary>How many of the orders' spans of one name each Api instance produced.</summary>
    private static Dictionary<string, int> InstancesOf(IEnumerable<TraceSpan> spans, string name, IReadOnlySet<string> orderIds) => spans
        .Where(span => span.Service == "api" && span.Name == name && orderIds.Contains(span[TelemetryTags.OrderId] ?? ""))
        .GroupBy(span => span.Resource.GetValueOrDefault(InstanceIdAttribute, "(none)"))
        .ToDictionary(group => group.Key, group => group.Count());

    private static string Describe(Dictionary<string, int> perInstance) =>
        string.Join(", ", perInstance.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}"));

    private async Task<List<int>> ChargesAsync(IEnumerable<string> orderIds)
    {
        var charges = new List<int>();
        foreach (var orderId in orderIds)
        {
            charges.Add((await fixture.GetChargesAsync(orderId)).Charges);
        }

        return charges;
    }

    /// <summary>SIGKILL, no shutdown, of one replica: its claimed rows are released only by Postgres noticing the dead connection.</summary>
    private async Task KillAsync(ApiReplica replica)
    {
        foreach (var pid in LocalProcesses.TreeOf(replica.ProcessId).Reverse())
        {
            LocalProcesses.Signal(pid, "KILL");
        }

        await fixture.App.ResourceNotifications.WaitForResourceAsync(
            "api", resourceEvent => resourceEvent.ResourceId == replica.ResourceId && KnownResourceStates.TerminalStates.Contains(resourceEvent.Snapshot.State?.Text),
            TestContext.Current.CancellationToken);
    }
}
