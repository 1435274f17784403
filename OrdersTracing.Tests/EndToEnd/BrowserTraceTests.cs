using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrdersTracing.Tests.EndToEnd.Support;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// The browser is part of the trace: a page's spans hang under the server request that rendered it, and a form's submit
/// is the parent of the request it causes, down to the page that request redirects to.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class BrowserTraceTests(OrdersAppFixture fixture) : IAsyncLifetime
{
    private BrowserSession browser = null!;

    public async ValueTask InitializeAsync() => browser = await BrowserSession.OpenAsync(fixture.App.GetEndpoint("web", "http"), width: 1440);

    [Fact]
    public async Task Placing_an_order_is_one_trace_from_the_form_page_through_the_submit_the_post_and_its_redirect_into_postgres()
    {
        await browser.SignInAsync(TestIds.Tenant(), TestIds.User());
        await browser.GotoAsync("/orders/new");
        var formTraceId = await PageTraceIdAsync();
        await browser.Page.GetByLabel("SKU of item 1").FillAsync("coffee-beans");
        await browser.Page.GetByLabel("Unit price of item 1, in USD").FillAsync("12.50");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await browser.Page.WaitForURLAsync(OrderPage());
        var orderPath = new Uri(browser.Page.Url).AbsolutePath;

        var spans = await fixture.Telemetry.WaitForTraceAsync(formTraceId, spans =>
            spans.Count(span => span.Service == "browser" && span.Name == "documentLoad") == 2
            && spans.Any(span => span.Service == "browser" && span.Name == "submit")
            && spans.Any(span => IsWebServer(span, "GET", orderPath))
            && spans.Any(span => IsApiServer(span, "/api/orders"))
            && spans.Any(span => IsApiServer(span, $"/api{orderPath}"))
            && spans.Any(span => IsApiServer(span, "/api/payments/webhook"))
            && spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Client));

        Assert.Equal(formTraceId, await PageTraceIdAsync());
        var byId = spans.ToDictionary(span => span.SpanId);
        var root = Assert.Single(spans, span => span.ParentSpanId is null);
        Assert.All(spans.Where(span => span != root), span => Assert.True(byId.ContainsKey(span.ParentSpanId!), $"orphan span: {span}"));
        Assert.True(IsWebServer(root, "GET", "/orders/new"), $"the root is {root}");
        var submit = Assert.Single(spans, span => span.Service == "browser" && span.Name == "submit");
        Assert.Equal((root.SpanId, "FORM"), (submit.ParentSpanId, submit["target_element"]));
        var post = Assert.Single(spans, span => IsWebServer(span, "POST", "/orders/new"));
        Assert.Equal(submit.SpanId, post.ParentSpanId);
        var webClient = Assert.Single(spans, span => span.Service == "web" && span.Kind == TraceSpanKind.Client && span.ParentSpanId == post.SpanId);
        var apiServer = Assert.Single(spans, span => span.Service == "api" && span.Kind == TraceSpanKind.Server && span.ParentSpanId == webClient.SpanId);
        Assert.Contains(spans, span => span.Scope == "Npgsql" && IsUnder(span, apiServer, byId));
        var orderPage = Assert.Single(spans, span => IsWebServer(span, "GET", orderPath));
        Assert.Equal(post.SpanId, orderPage.ParentSpanId);
        var documentLoads = spans.Where(span => span.Service == "browser" && span.Name == "documentLoad").ToList();
        Assert.Equal(new[] { root.SpanId, orderPage.SpanId }.Order(), documentLoads.Select(span => span.ParentSpanId!).Order());
        Assert.All(spans.Where(span => span.Service == "browser" && span.Name is not ("documentLoad" or "submit")),
            span => Assert.Contains(documentLoads, load => load.SpanId == span.ParentSpanId));
        // The payment, charged inside the request here, is part of the same story: the provider's spans and its webhook.
        Assert.Equal(["api", "browser", "payments", "web"], spans.Select(span => span.Service).Distinct().Order());

        await browser.GotoAsync($"/traces/{formTraceId}");
        var doctor = browser.Page.Locator($"[data-trace-doctor][data-trace-id='{formTraceId}']");
        await Assertions.Expect(doctor).ToBeVisibleAsync();
        // The request the person waited for is the one diagnosed; the browser's spans around it are never the culprit.
        await Assertions.Expect(doctor.Locator("p").First.Locator("strong")).ToHaveTextAsync(post.Name);
        Assert.DoesNotContain(await doctor.Locator("[data-finding]").AllInnerTextsAsync(), finding => finding.TrimStart().StartsWith("browser", StringComparison.Ordinal));
        await browser.ScreenshotAsync("trace-doctor-browser-trace.png");
        await browser.AssertHealthyAsync();
    }

    private async Task<string> PageTraceIdAsync() =>
        (await browser.Page.Locator("meta[name=traceparent]").GetAttributeAsync("content"))!.Split('-')[1];

    private static bool IsApiServer(TraceSpan span, string path) =>
        span.Service == "api" && span.Kind == TraceSpanKind.Server && span["url.path"] == path;

    private static bool IsWebServer(TraceSpan span, string method, string path) =>
        span.Service == "web" && span.Kind == TraceSpanKind.Server && span["http.request.method"] == method && span["url.path"] == path;

    private static bool IsUnder(TraceSpan span, TraceSpan ancestor, IReadOnlyDictionary<string, TraceSpan> byId)
    {
        for (var parent = span.ParentSpanId; parent is not null && byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("/orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderPage();

    public async ValueTask DisposeAsync() => await browser.DisposeAsync();
}
