using System.Net;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The application with a payment provider that fails every request.</summary>
public sealed class FailingPaymentProviderFixture : OrdersAppFixture
{
    protected override IEnumerable<string> AppHostArguments => ["--PaymentProvider:FailureRate=1"];
}

public sealed class PaymentProviderOutageTests(FailingPaymentProviderFixture fixture) : IClassFixture<FailingPaymentProviderFixture>
{
    [Fact]
    public async Task When_the_payment_provider_fails_the_order_is_kept_as_payment_failed_the_user_is_told_and_the_api_span_is_an_error()
    {
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());

        var page = await web.PlaceOrderAsync("pm_card_visa", ("coffee-beans", 1, 9.50m));
        var failedOrderId = page.Marker("failed-order-id");
        var traceId = page.Marker("trace-id")!;
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Name == "orders.create")
            && spans.Count(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server) > 1);
        var stored = await web.GetAsync($"/orders/{failedOrderId}");

        Assert.Equal(HttpStatusCode.BadGateway, page.Status);
        Assert.Contains("The payment provider failed.", page.Text);
        Assert.NotNull(failedOrderId);
        Assert.Equal("payment_failed", stored.Marker("payment-status"));
        var create = Assert.Single(spans, span => span.Name == "orders.create");
        Assert.Equal(TraceSpanStatus.Error, create.Status);
        Assert.Contains(create.Events, e => e.Name == "exception");
        var attempts = spans.Where(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server).ToList();
        Assert.True(attempts.Count > 1, $"expected retries, each its own span; saw {attempts.Count} attempt(s)");
        Assert.All(attempts, attempt => Assert.Equal(TraceSpanStatus.Error, attempt.Status));
    }
}
