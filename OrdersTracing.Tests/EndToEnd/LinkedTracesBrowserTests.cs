using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrdersTracing.Tests.EndToEnd.Support;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>An order paid in the background, followed in the Trace doctor from its request's trace to its payment's and back.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class LinkedTracesBrowserTests(OrdersAppFixture fixture) : IAsyncLifetime
{
    private BrowserSession browser = null!;

    private IPage Page => browser.Page;

    public async ValueTask InitializeAsync() => browser = await BrowserSession.OpenAsync(fixture.App.GetEndpoint("web", "http"), width: 1440);

    [Fact]
    public async Task The_trace_doctor_follows_a_background_payment_from_the_order_and_back_with_the_time_from_placed_to_paid()
    {
        await browser.SignInAsync(TestIds.Tenant(), TestIds.User());
        await browser.GotoAsync("/orders/new");
        await Page.GetByLabel("SKU of item 1").FillAsync("coffee-beans");
        await Page.GetByLabel("Unit price of item 1, in USD").FillAsync("12.50");
        await Page.GetByLabel("Charge the card").SelectOptionAsync(new SelectOptionValue { Value = "Background" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Page.WaitForURLAsync(OrderPage());
        var orderId = OrderPage().Match(Page.Url).Groups["id"].Value;
        var orderTraceId = await Page.Locator("[data-created-trace-id]").GetAttributeAsync("data-created-trace-id");
        Assert.NotNull(orderTraceId);
        await fixture.Telemetry.WaitForTraceAsync(orderTraceId, spans => spans.Any(span => span.Name == "orders.create"));
        await Page.Locator("[data-created-trace-id] [data-trace-doctor-link]").ClickAsync();
        await Assertions.Expect(Page.Locator($"[data-trace-doctor][data-trace-id='{orderTraceId}']")).ToBeVisibleAsync();
        // The payment is charged after the order page was shown; once the dashboard holds it, the person reloads.
        var (placed, paymentTraceId, recorded) = await PaymentTraceAsync(orderTraceId, orderId);

        await Page.ReloadAsync();

        var payment = Page.Locator($"[data-linked-trace='{paymentTraceId}'][data-direction='linked-from']");
        await Assertions.Expect(payment).ToContainTextAsync("api: payments.process");
        await Assertions.Expect(payment.Locator("[data-linked-trace-status]")).ToHaveTextAsync("ok");
        var placedToPaid = Page.Locator($"[data-order-payment='{orderId}']");
        await Assertions.Expect(placedToPaid).ToContainTextAsync("placed to paid in");
        var shownMs = double.Parse((await placedToPaid.GetAttributeAsync("data-placed-to-paid-ms"))!, CultureInfo.InvariantCulture);
        // From the request's orders.create to the payment trace's recording, read from the dashboard beside the page.
        Assert.Equal((recorded.End - placed.Start).TotalMilliseconds, shownMs, precision: 2);
        Assert.NotEqual(orderTraceId, paymentTraceId);
        await browser.ScreenshotAsync("trace-doctor-linked-traces.png");

        await payment.Locator("[data-linked-trace-link]").ClickAsync();

        await Assertions.Expect(Page.Locator($"[data-trace-doctor][data-trace-id='{paymentTraceId}']")).ToBeVisibleAsync();
        var order = Page.Locator($"[data-linked-trace='{orderTraceId}'][data-direction='links-to']");
        await Assertions.Expect(order.Locator("[data-linked-trace-link]")).ToHaveAttributeAsync("href", $"/traces/{orderTraceId}");
        await Assertions.Expect(Page.Locator($"[data-order-payment='{orderId}']"))
            .ToHaveAttributeAsync("data-placed-to-paid-ms", shownMs.ToString("0.###", CultureInfo.InvariantCulture));
        await browser.AssertHealthyAsync();
    }

    /// <summary>
    /// Once the dashboard holds the payment's trace: the request's span that placed the order, the id of the payment
    /// trace that links to it, and that trace's recording of the charge.
    /// </summary>
    private async Task<(TraceSpan Placed, string PaymentTraceId, TraceSpan Recorded)> PaymentTraceAsync(string orderTraceId, string orderId)
    {
        var request = await fixture.Telemetry.WaitForTraceAsync(orderTraceId, spans => spans.Any(span => span.Name == "orders.create"));
        var placed = Assert.Single(request, span => span.Name == "orders.create");
        var spans = await fixture.Telemetry.WaitForSpansAsync(spans => spans.Any(span => IsPaymentOf(span, orderId, placed)));
        var paying = spans.Where(span => IsPaymentOf(span, orderId, placed)).OrderBy(span => span.Start).Last();
        var payment = await fixture.Telemetry.WaitForTraceAsync(paying.TraceId, spans => spans.Any(span => span.Name == "orders.record_payment"));
        // The worker records the provider's answer; the provider's webhook, in the same trace, may have recorded the charge first.
        return (placed, paying.TraceId, payment.Where(span => span.Name == "orders.record_payment").MinBy(span => span.End)!);
    }

    private static bool IsPaymentOf(TraceSpan span, string orderId, TraceSpan placed) =>
        span.Name == "payments.process" && span["order.id"] == orderId && span.Links.Any(link => link.SpanId == placed.SpanId);

    [GeneratedRegex("/orders/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex OrderPage();

    public async ValueTask DisposeAsync() => await browser.DisposeAsync();
}
