using System.Net;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrdersTracing.Tests.EndToEnd.Support;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The trace doctor as a person sees it, in a real browser (<see cref="BrowserSession"/>).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TraceDoctorBrowserTests(OrdersAppFixture fixture) : IAsyncDisposable
{
    private const int Orders = 6;

    // A finding row by its kind: the fixed listing may still have other findings (its response is a large payload
    // at the end-to-end thresholds), never this one.
    private static readonly string NPlusOneFinding = $"[data-finding][data-kind='{FindingEvents.Name(FindingKind.NPlusOneDb)}']";

    // The diagnosis's first row: the root cause the page names first.
    private const string FirstCause = "[data-diagnosis] [data-cause] >> nth=0";

    private BrowserSession? browser;

    [Fact]
    public async Task The_trace_doctor_names_the_N_plus_one_of_a_naive_listing_first_with_its_remedy_and_shows_the_critical_path()
    {
        var traceId = await ListingTraceAsync("Naive");

        var page = await OpenTraceDoctorAsync(traceId, "trace-doctor-naive-listing.png");

        var cause = page.Locator(FirstCause);
        await Assertions.Expect(cause).ToHaveAttributeAsync("data-cause-kind", nameof(CauseKind.Detected));
        await Assertions.Expect(cause).ToHaveAttributeAsync("data-cause-service", "api");
        await Assertions.Expect(cause).ToContainTextAsync("N+1 queries");
        await Assertions.Expect(cause).ToContainTextAsync("of the request");
        await Assertions.Expect(cause.Locator("[data-cause-remedy]")).ToHaveTextAsync("load them in one query with eager loading");

        await Assertions.Expect(page.Locator("[data-critical-path] li").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-waterfall] [data-on-critical-path='true'] [data-critical-section]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-finding]", new() { HasTextString = "N+1" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(NPlusOneFinding).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-dependency-graph] [data-node-kind='database']").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_trace_doctor_names_no_cause_and_no_N_plus_one_in_the_fixed_listing()
    {
        var traceId = await ListingTraceAsync("Eager");

        var page = await OpenTraceDoctorAsync(traceId, "trace-doctor-fixed-listing.png");

        await Assertions.Expect(page.Locator("[data-no-causes]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-cause]")).ToHaveCountAsync(0);

        await Assertions.Expect(page.Locator("[data-critical-path] li").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(NPlusOneFinding)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-finding]", new() { HasTextString = "N+1" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_trace_doctor_names_the_slow_provider_of_a_synchronous_payment_and_gives_no_advice_it_cannot_back()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, user, traceId) = (TestIds.Tenant(), TestIds.User(), TestIds.NewTraceId());
        // The first order through a cold process spends its time compiling, not waiting for the provider.
        await ApiCalls.CreateOrderAsync(api, tenant, user);
        using var created = await ApiCalls.SendAsync(api, HttpMethod.Post, "/api/orders?payment=Synchronous", tenant, user,
            System.Net.Http.Json.JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } } }), traceId);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server)
            && spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server && span["url.path"] == "/api/orders"));

        var page = await OpenTraceDoctorAsync(traceId, "trace-doctor-synchronous-payment.png");

        var cause = page.Locator(FirstCause);
        await Assertions.Expect(cause).ToHaveAttributeAsync("data-cause-kind", nameof(CauseKind.SlowDependency));
        await Assertions.Expect(cause).ToHaveAttributeAsync("data-cause-service", "payments");
        await Assertions.Expect(cause).ToContainTextAsync("slow dependency");
        await Assertions.Expect(cause).ToContainTextAsync("POST /payment_intents");
        await Assertions.Expect(cause.Locator("[data-cause-remedy]")).ToHaveTextAsync("none: the evidence does not say what the fix is");
        await Assertions.Expect(page.Locator("[data-cause]", new() { HasTextString = "move it to the background" })).ToHaveCountAsync(0);
    }

    /// <summary>One screenshot per detector's finding for docs/trace-intelligence.md; the N+1 queries are the naive listing's above.</summary>
    [Theory]
    [InlineData("/api/orders/daily-report?filter=DateParts", FindingKind.SlowDbQuery)]
    [InlineData("/api/orders/payment-statuses?lookups=PerOrder", FindingKind.NPlusOneHttp)]
    [InlineData("/api/orders/form?queries=Sequential", FindingKind.ConsecutiveDb)]
    [InlineData("/api/orders/{order}/payment?calls=Sequential", FindingKind.ConsecutiveHttp)]
    [InlineData("/api/orders/export?paging=None", FindingKind.LargeHttpPayload)]
    [InlineData("/api/orders/payment-attempts?loading=PerOrder", FindingKind.MNPlusOneDb)]
    public async Task The_trace_doctor_shows_a_scenarios_finding_with_its_remedy(string problemPath, FindingKind kind)
    {
        using var api = fixture.CreateApiClient();
        var (tenant, order) = await DetectorScenarios.TenantAsync(api, kind);
        var traceId = TestIds.NewTraceId();
        using var problem = await ApiCalls.SendAsync(api, HttpMethod.Get, DetectorScenarios.Path(problemPath, order), tenant, TestIds.User(), traceId: traceId);
        Assert.Equal(HttpStatusCode.OK, problem.StatusCode);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Kind == TraceSpanKind.Server && span.Service == "api"));

        var page = await OpenTraceDoctorAsync(traceId, $"trace-doctor-{FindingEvents.Name(kind).Replace('_', '-')}.png");

        var row = page.Locator($"[data-finding][data-kind='{FindingEvents.Name(kind)}']").First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync(Remedies.For(kind));
    }

    [Fact]
    public async Task The_trace_doctor_says_so_when_it_has_no_such_trace()
    {
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());
        var traceId = TestIds.NewTraceId();

        var page = await web.GetAsync($"/traces/{traceId}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains($"No trace {traceId} was found", page.Text, StringComparison.Ordinal);
    }

    /// <summary>Signs in, opens the trace doctor on <paramref name="traceId"/> and keeps a screenshot (see <see cref="BrowserSession.ScreenshotPath"/>).</summary>
    private async Task<IPage> OpenTraceDoctorAsync(string traceId, string screenshot)
    {
        browser = await BrowserSession.OpenAsync(fixture.App.GetEndpoint("web", "http"), width: 1440);
        await browser.SignInAsync(TestIds.Tenant(), TestIds.User());

        var response = await browser.GotoAsync($"/traces/{traceId}");
        await browser.ScreenshotAsync(screenshot);

        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        await Assertions.Expect(browser.Page.Locator($"[data-trace-doctor][data-trace-id='{traceId}']")).ToBeVisibleAsync();
        await browser.AssertHealthyAsync();
        return browser.Page;
    }

    /// <summary>
    /// A listing of orders with their items, loaded <paramref name="loading"/>, once the dashboard holds its whole trace.
    /// The route is listed once before: a process's first listing spends its time compiling the query, which is a
    /// cause of its own (a cold start), not the one this test is about.
    /// </summary>
    private async Task<string> ListingTraceAsync(string loading)
    {
        using var api = fixture.CreateApiClient();
        var (tenant, user, traceId) = (TestIds.Tenant(), TestIds.User(), TestIds.NewTraceId());
        for (var i = 0; i < Orders; i++)
        {
            await ApiCalls.CreateOrderAsync(api, tenant, user);
        }

        using (var warm = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/with-items?loading={loading}", tenant, user))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var listing = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/with-items?loading={loading}", tenant, user, traceId: traceId);
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Kind == TraceSpanKind.Server && span.Service == "api"));
        return traceId;
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
    }
}
