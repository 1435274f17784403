using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrdersTracing.TraceAnalysis;
using OrdersTracing.Tests.EndToEnd.Support;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Every flow of Web walked in Chromium as a person would, by the labels they read and from the keyboard where a
/// person would type; each test ends with <see cref="BrowserSession.AssertHealthyAsync"/>, so an unexpected error
/// answer, a console error or a broken link anywhere on the way fails it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class WebFlowBrowserTests(OrdersAppFixture fixture) : IAsyncLifetime
{
    private const string DeclinedCard = "Card ending 0002 (declined)";
    private const int PageSize = 20;

    private readonly string tenant = TestIds.Tenant();
    private readonly string user = TestIds.User();
    private BrowserSession browser = null!;

    private IPage Page => browser.Page;

    public async ValueTask InitializeAsync() => browser = await BrowserSession.OpenAsync(fixture.App.GetEndpoint("web", "http"));

    [Fact]
    public async Task The_home_page_leads_to_sign_in_and_on_to_the_orders()
    {
        await browser.GotoAsync("/");
        await Page.GetByRole(AriaRole.Link, new() { Name = "See your orders" }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");

        await Page.GetByLabel("Tenant").FillAsync(tenant);
        await Page.GetByLabel("User").FillAsync(user);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/orders");
        await Assertions.Expect(Page.Locator("header")).ToContainTextAsync($"{user} at {tenant}");
        await Assertions.Expect(Page.GetByText("No orders yet.")).ToBeVisibleAsync();
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task Signing_in_with_a_bad_tenant_says_why_next_to_the_field_and_keeps_what_was_typed()
    {
        await browser.GotoAsync("/signin");
        await Page.GetByLabel("Tenant").FillAsync("Acme Corp!");
        await Page.GetByLabel("User").FillAsync(user);
        await Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(Page.Locator("[data-valmsg-for='TenantId']")).ToContainTextAsync("A tenant is lowercase letters");
        await Assertions.Expect(Page.GetByLabel("Tenant")).ToHaveValueAsync("Acme Corp!");
        await Assertions.Expect(Page.GetByLabel("User")).ToHaveValueAsync(user);
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_order_of_one_item_is_placed_from_the_form_as_it_first_appears()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");

        await Page.GetByLabel("SKU of item 1").FillAsync("coffee-beans");
        await Page.GetByLabel("Unit price of item 1, in USD").FillAsync("12.50");
        await Page.Keyboard.PressAsync("Enter");

        await WaitForOrderPageAsync();
        await Assertions.Expect(Page.Locator("[data-payment-status]")).ToHaveTextAsync("paid");
        await Assertions.Expect(Page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("tfoot")).ToContainTextAsync("12.50 USD");
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_order_of_three_items_is_placed_after_adding_rows_and_skipping_an_empty_one()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");

        await FillItemAsync(1, "coffee-beans", 2, "12.50");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add another item" }).ClickAsync();
        await FillItemAsync(2, "tea", 1, "4.00");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add another item" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add another item" }).ClickAsync();
        await FillItemAsync(4, "mug", 3, "8.25");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await WaitForOrderPageAsync();
        await Assertions.Expect(Page.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(Page.Locator("tfoot")).ToContainTextAsync("53.75 USD");
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task Bad_items_are_explained_next_to_their_fields_and_everything_typed_is_kept()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");
        browser.Expect(400, "/orders/new");

        await FillItemAsync(1, "bad sku!", 2, "5.00");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add another item" }).ClickAsync();
        await Page.GetByLabel("SKU of item 2").FillAsync("tea");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await Assertions.Expect(Page.Locator("#Items_0__Sku-error")).ToContainTextAsync("A SKU is 1 to 64 letters");
        await Assertions.Expect(Page.Locator("#Items_1__UnitPrice-error")).ToContainTextAsync("Unit price must be above 0");
        await Assertions.Expect(Page.GetByLabel("SKU of item 1")).ToHaveValueAsync("bad sku!");
        await Assertions.Expect(Page.GetByLabel("Quantity of item 1")).ToHaveValueAsync("2");
        await Assertions.Expect(Page.GetByLabel("Unit price of item 1, in USD")).ToHaveValueAsync("5.00");
        await Assertions.Expect(Page.GetByLabel("SKU of item 2")).ToHaveValueAsync("tea");
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_order_with_no_items_is_refused_with_a_message_in_words()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");
        browser.Expect(400, "/orders/new");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await Assertions.Expect(Page.Locator("[data-field-error='Items']")).ToContainTextAsync("An order needs at least one item.");
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_declined_card_keeps_the_order_says_why_and_the_order_shows_its_failed_payment()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");
        browser.Expect(402, "/orders/new");

        await FillItemAsync(1, "coffee-beans", 1, "12.50");
        await Page.GetByLabel("Pay with").SelectOptionAsync(new SelectOptionValue { Label = DeclinedCard });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The payment was declined.");
        await Page.Locator("[data-failed-order-id]").ClickAsync();
        await WaitForOrderPageAsync();
        await Assertions.Expect(Page.Locator("[data-payment-status]")).ToHaveTextAsync("payment_failed");
        await browser.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("Visa ending 4242 (succeeds)", "paid")]
    [InlineData(DeclinedCard, "payment_failed")]
    public async Task The_order_page_follows_a_background_payment_until_it_is_settled(string card, string settled)
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");

        await FillItemAsync(1, "coffee-beans", 1, "12.50");
        await Page.GetByLabel("Pay with").SelectOptionAsync(new SelectOptionValue { Label = card });
        await Page.GetByLabel("Charge the card").SelectOptionAsync(new SelectOptionValue { Value = "Background" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await WaitForOrderPageAsync();
        await Assertions.Expect(Page.Locator("[data-payment-status]")).ToHaveTextAsync(settled, new() { Timeout = 30_000 });
        await Assertions.Expect(Page.Locator("[data-payment-following]")).ToHaveCountAsync(0);
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task The_orders_list_pages_through_older_and_newer_orders()
    {
        using var api = fixture.CreateApiClient();
        for (var i = 0; i < PageSize + 1; i++)
        {
            await ApiCalls.CreateOrderAsync(api, tenant, user);
        }

        await browser.SignInAsync(tenant, user);

        await Assertions.Expect(Page.Locator("[data-order-id]")).ToHaveCountAsync(PageSize);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Older" }).ClickAsync();
        await Assertions.Expect(Page.Locator("[data-order-id]")).ToHaveCountAsync(1);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Newer" }).ClickAsync();
        await Assertions.Expect(Page.Locator("[data-order-id]")).ToHaveCountAsync(PageSize);
        await Page.Locator("[data-order-id] a").First.ClickAsync();
        await WaitForOrderPageAsync();
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task The_trace_of_placing_an_order_opens_in_the_trace_doctor_from_the_order_page()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");
        await FillItemAsync(1, "coffee-beans", 1, "12.50");
        await Page.Keyboard.PressAsync("Enter");
        await WaitForOrderPageAsync();
        var traceId = await Page.Locator("[data-created-trace-id]").GetAttributeAsync("data-created-trace-id");
        Assert.NotNull(traceId);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server));

        await Page.Locator("[data-created-trace-id] [data-trace-doctor-link]").ClickAsync();

        await Assertions.Expect(Page.Locator($"[data-trace-doctor][data-trace-id='{traceId}']")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("[data-critical-path] li").First).ToBeVisibleAsync();
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_no_page_shows_the_persons_orders_afterwards()
    {
        await browser.SignInAsync(tenant, user);
        await browser.GotoAsync("/orders/new");
        await FillItemAsync(1, "coffee-beans", 1, "12.50");
        await Page.Keyboard.PressAsync("Enter");
        await WaitForOrderPageAsync();
        var orderPage = Page.Url;

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
        await Page.GoBackAsync();
        await Assertions.Expect(Page.Locator("body")).Not.ToContainTextAsync(user);
        await browser.GotoAsync(orderPage);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");
        await Assertions.Expect(Page.Locator("body")).Not.ToContainTextAsync(user);
        await browser.GotoAsync("/orders");
        await Assertions.Expect(Page.Locator("[data-order-id]")).ToHaveCountAsync(0);
        await browser.AssertHealthyAsync();
    }

    [Fact]
    public async Task Every_page_passes_the_accessibility_check_without_serious_violations()
    {
        browser.Expect(400, "/orders/new");
        await browser.GotoAsync("/");
        await browser.CheckAccessibilityAsync();
        await browser.GotoAsync("/signin");
        await browser.CheckAccessibilityAsync();
        await browser.SignInAsync(tenant, user);
        await browser.CheckAccessibilityAsync();
        await browser.GotoAsync("/orders/new");
        await browser.CheckAccessibilityAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await browser.CheckAccessibilityAsync();
        await FillItemAsync(1, "coffee-beans", 1, "12.50");
        await Page.Keyboard.PressAsync("Enter");
        await WaitForOrderPageAsync();
        await browser.CheckAccessibilityAsync();
        await browser.GotoAsync("/orders");
        await browser.CheckAccessibilityAsync();
        var traceId = await Page.Locator("[data-trace-id]").First.GetAttributeAsync("data-trace-id");
        await fixture.Telemetry.WaitForTraceAsync(traceId!, spans => spans.Any(span => span.Service == "web"));
        await browser.GotoAsync($"/traces/{traceId}");
        await browser.CheckAccessibilityAsync();

        await browser.AssertHealthyAsync();
    }

    private async Task FillItemAsync(int row, string sku, int quantity, string unitPrice)
    {
        await Page.GetByLabel($"SKU of item {row}").FillAsync(sku);
        await Page.GetByLabel($"Quantity of item {row}").FillAsync(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByLabel($"Unit price of item {row}, in USD").FillAsync(unitPrice);
    }

    private Task WaitForOrderPageAsync() => Page.WaitForURLAsync(OrderPage());

    [GeneratedRegex("/orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderPage();

    public async ValueTask DisposeAsync() => await browser.DisposeAsync();
}
