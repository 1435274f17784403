using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>Retries, timeouts and the circuit breaker of the payment call, against a stand-in provider told to misbehave.</summary>
[Collection(FaultsCollection.Name)]
public sealed class PaymentProviderFaultTests(FaultsAppFixture fixture) : IAsyncLifetime
{
    // PaymentProviderClient.ConfigureResilience: 5 s per attempt, 3 retries, circuit open for 5 s.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan BreakerDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Each test starts from a provider that charges: the Api's circuit breaker is shared by every call, the outbox
    /// worker's included, so a test that opened it (or background payments of another test still retrying) would
    /// otherwise turn this test's first failure into a rejected retry.
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        await fixture.SwitchFaultsOffAsync();
        using var api = fixture.CreateApiClient();
        Assert.NotNull(await PlaceUntilPaidAsync(api, TestIds.Tenant()));
    }

    public async ValueTask DisposeAsync() => await fixture.SwitchFaultsOffAsync();

    [Fact]
    public async Task A_provider_failing_twice_is_retried_with_the_same_key_each_attempt_is_a_span_and_the_order_is_charged_once()
    {
        using var api = fixture.CreateApiClient();
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.ProviderErrors, FaultCatalogue.Services.Payments, Attempts: 2));
        var traceId = TestIds.NewTraceId();

        var order = await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), payment: "Synchronous", traceId: traceId);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => ProviderAttempts(spans).Count >= 3 && spans.Any(span => span.Name == "orders.create"));
        var charges = await fixture.GetChargesAsync(order.OrderId!);

        FaultLoad.Report("provider-fails-twice",
            $"1 synchronous order; {ProviderAttempts(spans).Count} attempts, each a span; {charges.Requests} requests and {charges.Charges} charge for its key; {(int)order.Status} in {order.Duration.TotalMilliseconds:F0} ms "
            + $"(the Api's server span: {spans.FirstOrDefault(span => span.Service == "api" && span.Kind == TraceSpanKind.Server)?.Duration.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) ?? "not read"} ms)");
        Assert.Equal(HttpStatusCode.Created, order.Status);
        Assert.Equal("paid", PaymentStatusOf(order));
        var attempts = ProviderAttempts(spans);
        Assert.Equal(3, attempts.Count);
        Assert.Equal([TraceSpanStatus.Error, TraceSpanStatus.Error, TraceSpanStatus.Unset], attempts.OrderBy(span => span.Start).Select(span => span.Status));
        Assert.Equal((Requests: 3, Charges: 1), charges);
    }

    [Fact]
    public async Task A_charge_whose_answer_times_out_is_retried_with_the_same_key_and_not_charged_twice()
    {
        using var api = fixture.CreateApiClient();
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.ProviderTimeout, FaultCatalogue.Services.Payments, Amount: SlowAnswer.TotalMilliseconds, Attempts: 1));
        var traceId = TestIds.NewTraceId();

        var order = await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), payment: "Synchronous", traceId: traceId);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => ClientAttempts(spans).Count >= 2 && spans.Any(span => span.Name == "orders.create"));
        var charges = await fixture.GetChargesAsync(order.OrderId!);

        FaultLoad.Report("provider-answer-times-out",
            $"1 synchronous order, first answer 8 s late; {ClientAttempts(spans).Count} attempts, each a span; {charges.Requests} requests and {charges.Charges} charge for its key; {(int)order.Status} in {order.Duration.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.Created, order.Status);
        Assert.Equal("paid", PaymentStatusOf(order));
        var attempts = ClientAttempts(spans).OrderBy(span => span.Start).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal([TraceSpanStatus.Error, TraceSpanStatus.Unset], attempts.Select(span => span.Status));
        // The first attempt gave up at its timeout, not when the late answer came. Measured on the Api's own clock: a
        // cold first request to a fresh application can make the whole order take longer than both. The span's clock
        // and the timeout's timer differ by a few milliseconds.
        Assert.InRange(attempts[0].Duration, AttemptTimeout - TimeSpan.FromMilliseconds(250), SlowAnswer);
        Assert.Equal((Requests: 2, Charges: 1), charges);
    }

    [Fact]
    public async Task A_provider_that_keeps_failing_opens_the_circuit_and_later_orders_fail_fast_without_calling_it()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.ProviderErrors, FaultCatalogue.Services.Payments));

        var failed = new List<(LoadResult Order, int Requests)>();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < BreakerDeadline && (failed.Count == 0 || failed[^1].Requests > 0))
        {
            var order = await FaultLoad.PlaceOrderAsync(api, tenant, payment: "Synchronous");
            failed.Add((order, (await fixture.GetChargesAsync(OrderIdOf(order))).Requests));
        }

        await fixture.SwitchFaultsOffAsync();
        var closing = Stopwatch.StartNew();
        var recovered = await PlaceUntilPaidAsync(api, tenant);
        FaultLoad.Report("provider-keeps-failing",
            $"{failed.Count} synchronous orders, all 502; provider requests per order: {string.Join(", ", failed.Select(attempt => attempt.Requests))}; "
            + $"with the circuit open: answered in {failed[^1].Order.Duration.TotalMilliseconds:F0} ms; paid again {closing.Elapsed.TotalSeconds:F1} s after the provider recovered");

        Assert.All(failed, attempt => Assert.Equal(HttpStatusCode.BadGateway, attempt.Order.Status));
        var (rejected, requests) = failed[^1];
        Assert.Equal(0, requests);
        Assert.Contains("circuit", rejected.Body, StringComparison.OrdinalIgnoreCase);
        // Fast compared with an order whose attempts were all made and retried, which a loaded machine slows alike.
        var retried = failed[0].Order;
        Assert.True(rejected.Duration < retried.Duration / 2,
            $"an order with the circuit open took {rejected.Duration.TotalMilliseconds:F0} ms, one retried {retried.Duration.TotalMilliseconds:F0} ms");
        Assert.InRange(failed.Count, 2, 5);
        Assert.NotNull(recovered);
    }

    /// <summary>The provider's server spans: one per attempt that reached it.</summary>
    private static List<TraceSpan> ProviderAttempts(IReadOnlyList<TraceSpan> spans) =>
        [.. spans.Where(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server)];

    /// <summary>The Api's HTTP client spans: one per attempt it made, answered or not.</summary>
    private static List<TraceSpan> ClientAttempts(IReadOnlyList<TraceSpan> spans) =>
        [.. spans.Where(span => span.Service == "api" && span.Kind == TraceSpanKind.Client && span.Scope == "System.Net.Http")];

    private static string? PaymentStatusOf(LoadResult order) =>
        JsonDocument.Parse(order.Body).RootElement.GetProperty("paymentStatus").GetString();

    private static string OrderIdOf(LoadResult order) =>
        order.OrderId ?? JsonDocument.Parse(order.Body).RootElement.GetProperty("orderId").GetString()!;

    /// <summary>Once the circuit lets calls through again (after its 5 s break), an order is paid.</summary>
    private static async Task<LoadResult?> PlaceUntilPaidAsync(HttpClient api, string tenant)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < BreakerDeadline)
        {
            var order = await FaultLoad.PlaceOrderAsync(api, tenant, payment: "Synchronous");
            if (order.Status == HttpStatusCode.Created)
            {
                return order;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return null;
    }
}
