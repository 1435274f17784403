using System.Net;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// The trace doctor as a person sees it, in a real browser: Debian's Chromium driven by Playwright's bundled driver,
/// so nothing is downloaded at test time.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TraceDoctorBrowserTests(OrdersAppFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Orders = 6;

    private static readonly string[] ChromiumArguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static string Screenshot => Path.Combine(
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Projects.OrdersTracing_AppHost.ProjectPath))!, "docs", "images", "trace-doctor.png");

    [Fact]
    public async Task The_trace_doctor_shows_the_critical_path_and_the_N_plus_one_of_a_naive_listing()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run the tests with ./test.sh, which installs Debian's chromium package.");
        var traceId = await NaiveListingTraceAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ChromiumArguments });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var web = fixture.App.GetEndpoint("web", "http");
        await page.GotoAsync(new Uri(web, "/signin").ToString());
        await page.FillAsync("#TenantId", TestIds.Tenant());
        await page.FillAsync("#UserId", TestIds.User());
        await page.ClickAsync("button[type=submit]");

        var response = await page.GotoAsync(new Uri(web, $"/traces/{traceId}").ToString());
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot)!);
        await page.ScreenshotAsync(new() { Path = Screenshot, FullPage = true });

        Assert.Equal((int)HttpStatusCode.OK, response?.Status);
        await Assertions.Expect(page.Locator($"[data-trace-doctor][data-trace-id='{traceId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-critical-path] li").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-waterfall] [data-on-critical-path='true'] [data-critical-section]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-finding]", new() { HasTextString = "N+1" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-n-plus-one]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-dependency-graph] [data-node-kind='database']").First).ToBeVisibleAsync();
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

    /// <summary>A listing that loads each order's items with a query of its own, once the dashboard holds its whole trace.</summary>
    private async Task<string> NaiveListingTraceAsync()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, user, traceId) = (TestIds.Tenant(), TestIds.User(), TestIds.NewTraceId());
        for (var i = 0; i < Orders; i++)
        {
            await ApiCalls.CreateOrderAsync(api, tenant, user);
        }

        using var listing = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders/with-items?loading=Naive", tenant, user, traceId: traceId);
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Name == "orders.list_with_items")
            && spans.Any(span => span.Kind == TraceSpanKind.Server && span[SpanAttributes.NPlusOneDetected] == "true")
            && spans.Count(span => span.Scope == "Npgsql") > Orders);
        return traceId;
    }
}
