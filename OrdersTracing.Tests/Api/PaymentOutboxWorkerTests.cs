using Microsoft.Extensions.DependencyInjection;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Payments.Outbox;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Tests.Api.Support;

namespace OrdersTracing.Tests.Api;

[Collection(LocalPostgresCollection.Name)]
public sealed class PaymentOutboxWorkerTests(LocalPostgres postgres) : ApiTest(postgres)
{
    [Fact]
    public async Task A_round_charges_each_due_payment_once_and_clears_it_from_the_outbox()
    {
        var placed = await PlaceBackgroundOrdersAsync(3);
        var worker = Api.Worker(new PaymentOutboxOptions());

        var first = await worker.ProcessBatchAsync(new PaymentOutboxOptions(), CancellationToken.None);
        var second = await worker.ProcessBatchAsync(new PaymentOutboxOptions(), CancellationToken.None);

        Assert.Equal(new OutboxRound(Taken: 3, Deferred: 0), first);
        Assert.Equal(new OutboxRound(Taken: 0, Deferred: 0), second);
        Assert.Equal(placed.Order(), Provider.Charges.Order());
        foreach (var orderId in placed)
        {
            var order = await Api.ReadOrderAsync(orderId);
            var row = await Api.ReadOutboxRowAsync(orderId);
            Assert.Equal((PaymentStatus.Paid, FakePaymentProvider.PaymentIdFor(orderId)), (order.PaymentStatus, order.PaymentId));
            Assert.NotNull(row.ProcessedAt);
            Assert.Equal(1, row.Attempts);
        }
    }

    [Fact]
    public async Task A_round_takes_at_most_a_batch_of_the_oldest_payments()
    {
        var placed = await PlaceBackgroundOrdersAsync(3);
        var settings = new PaymentOutboxOptions { BatchSize = 2 };

        var round = await Api.Worker(settings).ProcessBatchAsync(settings, CancellationToken.None);

        Assert.Equal(new OutboxRound(Taken: 2, Deferred: 0), round);
        Assert.Equal(placed.Take(2), Provider.Charges);
        Assert.Equal(PaymentStatus.Pending, (await Api.ReadOrderAsync(placed[2])).PaymentStatus);
    }

    [Fact]
    public async Task A_payment_the_provider_could_not_take_stays_in_the_outbox_for_a_later_round()
    {
        Provider.Answer = _ => ProviderAnswer.Fail;
        var orderId = (await PlaceBackgroundOrdersAsync(1)).Single();
        var settings = new PaymentOutboxOptions();

        var round = await Api.Worker(settings).ProcessBatchAsync(settings, CancellationToken.None);

        var row = await Api.ReadOutboxRowAsync(orderId);
        Assert.Equal(new OutboxRound(Taken: 1, Deferred: 1), round);
        Assert.Equal(PaymentStatus.Pending, (await Api.ReadOrderAsync(orderId)).PaymentStatus);
        Assert.Equal((1, null, "The provider is unavailable."), (row.Attempts, row.ProcessedAt, row.LastError));
    }

    [Fact]
    public async Task A_payment_the_provider_keeps_failing_is_payment_failed_after_its_last_attempt()
    {
        Provider.Answer = _ => ProviderAnswer.Fail;
        var orderId = (await PlaceBackgroundOrdersAsync(1)).Single();
        var settings = new PaymentOutboxOptions { MaxAttempts = 3 };
        var worker = Api.Worker(settings);

        var rounds = new List<OutboxRound>();
        for (var i = 0; i < 4; i++)
        {
            rounds.Add(await worker.ProcessBatchAsync(settings, CancellationToken.None));
        }

        var (order, row) = (await Api.ReadOrderAsync(orderId), await Api.ReadOutboxRowAsync(orderId));
        Assert.Equal([new(1, 1), new(1, 1), new(1, 0), new(0, 0)], rounds);
        Assert.Equal(3, Provider.Charges.Count);
        Assert.Equal((PaymentStatus.PaymentFailed, "The provider is unavailable."), (order.PaymentStatus, order.PaymentError));
        Assert.Equal(3, row.Attempts);
        Assert.NotNull(row.ProcessedAt);
    }

    [Fact]
    public async Task A_declined_card_is_payment_failed_at_once_without_a_retry()
    {
        Provider.Answer = _ => ProviderAnswer.Decline;
        var orderId = (await PlaceBackgroundOrdersAsync(1)).Single();
        var settings = new PaymentOutboxOptions();
        var worker = Api.Worker(settings);

        var first = await worker.ProcessBatchAsync(settings, CancellationToken.None);
        var second = await worker.ProcessBatchAsync(settings, CancellationToken.None);

        Assert.Equal((new OutboxRound(1, 0), new OutboxRound(0, 0)), (first, second));
        Assert.Single(Provider.Charges);
        Assert.Equal(PaymentStatus.PaymentFailed, (await Api.ReadOrderAsync(orderId)).PaymentStatus);
        Assert.Equal("Your card was declined.", (await Api.ReadOutboxRowAsync(orderId)).LastError);
    }

    [Fact]
    public async Task A_charge_that_timed_out_and_was_then_settled_by_the_webhook_is_not_charged_again()
    {
        Provider.Answer = _ => ProviderAnswer.Hang;
        var orderId = (await PlaceBackgroundOrdersAsync(1)).Single();
        var settings = new PaymentOutboxOptions();
        var worker = Api.Worker(settings);

        var timedOut = await worker.ProcessBatchAsync(settings, CancellationToken.None);
        await Api.InScopeAsync(scope => scope.GetRequiredService<OrderPayments>()
            .RecordChargedAsync(orderId, "tenant-a", FakePaymentProvider.PaymentIdFor(orderId), CancellationToken.None));
        var afterWebhook = await worker.ProcessBatchAsync(settings, CancellationToken.None);

        var (order, row) = (await Api.ReadOrderAsync(orderId), await Api.ReadOutboxRowAsync(orderId));
        Assert.Equal((new OutboxRound(1, 1), new OutboxRound(1, 0)), (timedOut, afterWebhook));
        Assert.Single(Provider.Charges);
        Assert.Equal((PaymentStatus.Paid, FakePaymentProvider.PaymentIdFor(orderId)), (order.PaymentStatus, order.PaymentId));
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.ProcessedAt);
    }

    [Fact]
    public async Task After_a_round_the_provider_could_not_serve_the_worker_waits_the_retry_delay_not_the_poll_interval()
    {
        Provider.Answer = _ => ProviderAnswer.Fail;
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var timed = ApiServices.Create(await Postgres.CreateDatabaseAsync(), Provider, clock);
        await PlaceBackgroundOrdersAsync(timed, 1);
        var settings = new PaymentOutboxOptions { PollInterval = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromSeconds(30) };
        using var worker = timed.Worker(settings);

        await worker.StartAsync(CancellationToken.None);
        await Eventually(() => Provider.Charges.Count == 1 && clock.WaitingTimers == 1);
        clock.Advance(settings.PollInterval);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        var chargesAfterPollInterval = Provider.Charges.Count;
        clock.Advance(settings.RetryDelay - settings.PollInterval);
        await Eventually(() => Provider.Charges.Count == 2);
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, chargesAfterPollInterval);
        Assert.Equal(2, Provider.Charges.Count);
    }

    private Task<List<Guid>> PlaceBackgroundOrdersAsync(int count) => PlaceBackgroundOrdersAsync(Api, count);

    private static async Task<List<Guid>> PlaceBackgroundOrdersAsync(ApiServices services, int count)
    {
        var placed = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            placed.Add((await services.PlaceOrderAsync(PaymentProcessing.Background)).Order.Id);
        }

        return placed;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The worker did not get there within 10 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
