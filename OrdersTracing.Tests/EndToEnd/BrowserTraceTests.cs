using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrdersTracing.Tests.EndToEnd.Support;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The browser is part of the trace: a page's load hangs under the server request that rendered it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class BrowserTraceTests(OrdersAppFixture fixture) : IAsyncLifetime
{
    private BrowserSession browser = null!;

    public async ValueTask InitializeAsync() => browser = await BrowserSession.OpenAsync(fixture.App.GetEndpoint("web", "http"), width: 1440);

    [Fact]
    public async Task The_order_page_after_placing_an_order_is_one_trace_from_the_browser_through_web_and_the_api_into_postgres()
    {
        await browser.SignInAsync(TestIds.Tenant(), TestIds.User());
        await browser.GotoAsync("/orders/new");
        await browser.Page.GetByLabel("SKU of item 1").FillAsync("coffee-beans");
        await browser.Page.GetByLabel("Unit price of item 1, in USD").FillAsync("12.50");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await browser.Page.WaitForURLAsync(OrderPage());
        var traceparent = await browser.Page.Locator("meta[name=traceparent]").GetAttributeAsync("content");
        var traceId = traceparent!.Split('-')[1];

        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Service == "browser" && span.Name == "documentLoad")
            && spans.Any(span => span.Service == "browser" && span.Name == "documentFetch")
            && spans.Any(span => span.Service == "web" && span.Kind == TraceSpanKind.Server)
            && spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server)
            && spans.Any(span => span.Scope == "Npgsql"));

        var byId = spans.ToDictionary(span => span.SpanId);
        var root = Assert.Single(spans, span => span.ParentSpanId is null);
        Assert.All(spans.Where(span => span != root), span => Assert.True(byId.ContainsKey(span.ParentSpanId!), $"orphan span: {span.Service} {span.Name}"));
        Assert.Equal(("web", TraceSpanKind.Server), (root.Service, root.Kind));
        var documentLoad = Assert.Single(spans, span => span.Service == "browser" && span.Name == "documentLoad");
        Assert.Equal(root.SpanId, documentLoad.ParentSpanId);
        Assert.All(spans.Where(span => span.Service == "browser" && span != documentLoad), span => Assert.Equal(documentLoad.SpanId, span.ParentSpanId));
        var webClient = Assert.Single(spans, span => span.Service == "web" && span.Kind == TraceSpanKind.Client);
        var apiServer = Assert.Single(spans, span => span.Service == "api" && span.Kind == TraceSpanKind.Server);
        Assert.Equal(root.SpanId, webClient.ParentSpanId);
        Assert.Equal(webClient.SpanId, apiServer.ParentSpanId);
        Assert.Contains(spans, span => span.Scope == "Npgsql");
        Assert.Equal(["api", "browser", "web"], spans.Select(span => span.Service).Distinct().Order());

        await browser.GotoAsync($"/traces/{traceId}");
        await Assertions.Expect(browser.Page.Locator($"[data-trace-doctor][data-trace-id='{traceId}']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("trace-doctor-browser-trace.png");
        await browser.AssertHealthyAsync();
    }

    [GeneratedRegex("/orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderPage();

    public async ValueTask DisposeAsync() => await browser.DisposeAsync();
}
