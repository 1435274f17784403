using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Tests.Api.Support;

namespace OrdersTracing.Tests.Api;

[Collection(LocalPostgresCollection.Name)]
public sealed class OrderPaymentsTests(LocalPostgres postgres) : ApiTest(postgres)
{
    [Fact]
    public async Task A_synchronous_order_is_charged_in_the_request_and_saved_as_paid_without_an_outbox_row()
    {
        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Synchronous);

        var stored = await Api.ReadOrderAsync(placed.Order.Id);
        var outbox = await Api.InScopeAsync(scope => Task.FromResult(scope.GetRequiredService<OrdersDbContext>().PaymentRequests.Count()));
        Assert.True(placed.Payment?.Succeeded);
        Assert.Equal([placed.Order.Id], Provider.Charges);
        Assert.Equal((PaymentStatus.Paid, FakePaymentProvider.PaymentIdFor(placed.Order.Id)), (stored.PaymentStatus, stored.PaymentId));
        Assert.Equal(0, outbox);
    }

    [Fact]
    public async Task A_background_order_is_saved_pending_with_an_outbox_row_that_links_to_the_placing_trace()
    {
        using var parent = new Activity("place-order").SetIdFormat(ActivityIdFormat.W3C).Start();

        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Background);

        var row = await Api.ReadOutboxRowAsync(placed.Order.Id);
        Assert.Null(placed.Payment);
        Assert.Empty(Provider.Charges);
        Assert.Equal(PaymentStatus.Pending, (await Api.ReadOrderAsync(placed.Order.Id)).PaymentStatus);
        Assert.Equal(("tenant-a", "pm_card_visa", 0, null), (row.TenantId, row.PaymentMethod, row.Attempts, row.ProcessedAt));
        Assert.Equal(parent.TraceId, row.RequestContext.TraceId);
    }

    [Fact]
    public async Task A_declined_synchronous_order_is_payment_failed_and_its_create_span_failed_with_an_exception_event()
    {
        Provider.Answer = _ => ProviderAnswer.Decline;
        using var tracing = TraceApi(out var exported);

        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Synchronous, tenantId: $"tenant-{Guid.NewGuid():N}"[..20]);

        tracing.ForceFlush();
        var create = Assert.Single(exported, span => span.OperationName == OrdersTelemetry.Spans.CreateOrder && Equals(span.GetTagItem("order.id"), placed.Order.Id));
        var exception = Assert.Single(create.Events, e => e.Name == "exception");
        var message = $"Payment for order {placed.Order.Id} failed (Declined): Your card was declined.";
        Assert.Equal(PaymentStatus.PaymentFailed, (await Api.ReadOrderAsync(placed.Order.Id)).PaymentStatus);
        Assert.Equal((ActivityStatusCode.Error, message), (create.Status, create.StatusDescription));
        Assert.Equal("OrdersTracing.Api.Payments.PaymentFailedException", exception.Tags.Single(tag => tag.Key == "exception.type").Value);
        Assert.Equal(message, exception.Tags.Single(tag => tag.Key == "exception.message").Value);
        Assert.Equal("PaymentFailed", create.GetTagItem("payment.status"));
    }

    [Fact]
    public async Task Recording_a_failure_after_a_payment_leaves_the_order_paid()
    {
        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Background);
        var paymentId = FakePaymentProvider.PaymentIdFor(placed.Order.Id);

        await RecordAsync(placed.Order.Id, PaymentResult.Paid(paymentId));
        await RecordAsync(placed.Order.Id, PaymentResult.Failed(PaymentFailure.Unavailable, "A late timeout."));

        var stored = await Api.ReadOrderAsync(placed.Order.Id);
        Assert.Equal((PaymentStatus.Paid, paymentId, null), (stored.PaymentStatus, stored.PaymentId, stored.PaymentError));
    }

    [Fact]
    public async Task The_webhook_settles_an_order_whose_attempt_was_recorded_as_failed()
    {
        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Background);
        await RecordAsync(placed.Order.Id, PaymentResult.Failed(PaymentFailure.Unavailable, "The attempt timed out."));

        var settled = await RecordChargedAsync(placed.Order.Id, "tenant-a");

        var stored = await Api.ReadOrderAsync(placed.Order.Id);
        Assert.Equal(ChargeRecording.Applied, settled);
        Assert.Equal((PaymentStatus.Paid, FakePaymentProvider.PaymentIdFor(placed.Order.Id), null), (stored.PaymentStatus, stored.PaymentId, stored.PaymentError));
    }

    [Fact]
    public async Task The_webhook_delivered_twice_records_the_payment_once()
    {
        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Background);
        using var tracing = TraceApi(out var exported);

        var first = await RecordChargedAsync(placed.Order.Id, "tenant-a");
        var afterFirst = await Api.ReadOrderRowVersionAsync(placed.Order.Id);
        var second = await RecordChargedAsync(placed.Order.Id, "tenant-a");
        var afterSecond = await Api.ReadOrderRowVersionAsync(placed.Order.Id);

        tracing.ForceFlush();
        Assert.Equal((ChargeRecording.Applied, ChargeRecording.AlreadyPaid), (first, second));
        Assert.Equal(afterFirst, afterSecond);
        Assert.Single(exported, span => span.OperationName == OrdersTelemetry.Spans.RecordPayment);
    }

    [Fact]
    public async Task The_webhook_for_another_tenants_order_changes_nothing()
    {
        var placed = await Api.PlaceOrderAsync(PaymentProcessing.Background);
        var before = await Api.ReadOrderRowVersionAsync(placed.Order.Id);

        var settled = await RecordChargedAsync(placed.Order.Id, "tenant-b");

        Assert.Equal(ChargeRecording.UnknownOrder, settled);
        Assert.Equal(before, await Api.ReadOrderRowVersionAsync(placed.Order.Id));
        Assert.Equal(PaymentStatus.Pending, (await Api.ReadOrderAsync(placed.Order.Id)).PaymentStatus);
    }

    [Fact]
    public async Task The_same_webhook_applied_at_once_by_two_processes_settles_each_order_once()
    {
        const int Orders = 20;
        var orderIds = new List<Guid>();
        for (var i = 0; i < Orders; i++)
        {
            orderIds.Add((await Api.PlaceOrderAsync(PaymentProcessing.Background)).Order.Id);
        }

        // Two service providers are two Api processes: their own connection pools, nothing shared but the database.
        await using var otherReplica = ApiServices.Create(Api.ConnectionString, Provider);
        var outcomes = new List<ChargeRecording[]>();
        foreach (var orderId in orderIds)
        {
            using var start = new Barrier(2);
            outcomes.Add(await Task.WhenAll(
                Task.Run(() => ApplyAtBarrierAsync(Api, orderId, start)),
                Task.Run(() => ApplyAtBarrierAsync(otherReplica, orderId, start))));
        }

        Assert.All(outcomes, raced => Assert.Equal([ChargeRecording.Applied, ChargeRecording.AlreadyPaid], raced.Order()));
        foreach (var orderId in orderIds)
        {
            Assert.Equal(PaymentStatus.Paid, (await Api.ReadOrderAsync(orderId)).PaymentStatus);
        }
    }

    private static Task<ChargeRecording> ApplyAtBarrierAsync(ApiServices replica, Guid orderId, Barrier start) => replica.InScopeAsync(scope =>
    {
        start.SignalAndWait(TimeSpan.FromSeconds(10));
        return scope.GetRequiredService<OrderPayments>().RecordChargedAsync(orderId, "tenant-a", FakePaymentProvider.PaymentIdFor(orderId), CancellationToken.None);
    });

    /// <summary>The Api's own spans while the returned Provider lives; tests in this collection run one at a time.</summary>
    private static TracerProvider TraceApi(out List<Activity> exported)
    {
        exported = [];
        return Sdk.CreateTracerProviderBuilder()
            .AddSource(OrdersTelemetry.ActivitySourceName)
            .AddInMemoryExporter(exported)
            .Build();
    }

    private Task<int> RecordAsync(Guid orderId, PaymentResult payment) => Api.InScopeAsync(async scope =>
    {
        var db = scope.GetRequiredService<OrdersDbContext>();
        var order = await db.Orders.FindAsync(orderId);
        await scope.GetRequiredService<OrderPayments>().RecordAsync(order!, payment, CancellationToken.None);
        return 0;
    });

    private Task<ChargeRecording> RecordChargedAsync(Guid orderId, string tenantId) => Api.InScopeAsync(scope =>
        scope.GetRequiredService<OrderPayments>().RecordChargedAsync(orderId, tenantId, FakePaymentProvider.PaymentIdFor(orderId), CancellationToken.None));
}
