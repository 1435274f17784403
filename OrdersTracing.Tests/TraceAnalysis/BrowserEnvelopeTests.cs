using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

/// <summary>
/// A trace that starts in a page: the browser's document loads and the person's submit envelope the server requests,
/// and the Trace doctor's critical path and findings are about the requests, never about the browser.
/// </summary>
public sealed class BrowserEnvelopeTests
{
    [Fact]
    public void Placing_an_order_from_the_browser_is_analysed_as_the_post_the_person_waited_for()
    {
        var (trace, post) = PlacingAnOrder();

        var path = CriticalPath.Compute(trace);

        Assert.Equal(post, path.Root);
        Assert.Equal(TimeSpan.FromMilliseconds(400), path.Sections.Aggregate(TimeSpan.Zero, (total, section) => total + section.Duration));
        Assert.All(path.Sections, section => Assert.NotEqual("browser", section.Service));
        Assert.All(trace.Where(BrowserEnvelope.Holds), span => Assert.Equal(TimeSpan.Zero, path.Timing(span).OnCriticalPath));
    }

    [Fact]
    public void The_api_under_the_post_a_service_whose_own_work_is_not_traced_is_the_cause_not_the_browser()
    {
        var (trace, _) = PlacingAnOrder();

        var causes = Diagnoser.Diagnose(trace);

        var cause = Assert.Single(causes);
        Assert.Equal((CauseKind.SlowDependency, "api", "POST /api/orders"), (cause.Kind, cause.Service, cause.SpanName));
        Assert.Equal(88, (int)Math.Round(cause.ShareOfRequest * 100, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void A_page_load_that_outlasts_its_request_is_not_blamed_for_the_request()
    {
        var trace = new TraceBuilder();
        var page = trace.Span("GET /orders", 10, 20, service: "web", kind: TraceSpanKind.Server);
        var load = trace.Span("documentLoad", 0, 300, page, service: "browser");
        trace.Span("documentFetch", 1, 40, load);
        var spans = InTheBrowser(trace.Spans, "documentLoad", "documentFetch");

        var findings = Findings.Of(spans);

        Assert.Empty(findings);
        Assert.Empty(Diagnoser.Diagnose(spans));
        Assert.Equal(page, CriticalPath.Compute(spans).Root);
    }

    /// <summary>
    /// The form page's request, its document load, the submit 5 s later (the person typing), the POST with the Api
    /// under it for 350 of its 400 ms, and the order page it redirects to with its own document load.
    /// </summary>
    private static (IReadOnlyList<TraceSpan> Trace, TraceSpan Post) PlacingAnOrder()
    {
        var trace = new TraceBuilder();
        var form = trace.Span("GET /orders/new", 10, 20, service: "web", kind: TraceSpanKind.Server);
        trace.Span("documentLoad", 0, 300, form, service: "browser");
        var submit = trace.Span("submit", 5_000, 5, form, service: "browser");
        var post = trace.Span("POST /orders/new", 5_010, 400, submit, service: "web", kind: TraceSpanKind.Server);
        var call = trace.Span("POST", 5_020, 360, post, kind: TraceSpanKind.Client);
        trace.Span("POST /api/orders", 5_025, 350, call, service: "api", kind: TraceSpanKind.Server);
        var orderPage = trace.Span("GET /orders/{id}", 5_420, 30, post, kind: TraceSpanKind.Server);
        trace.Span("documentLoad", 5_415, 400, orderPage, service: "browser");
        return (InTheBrowser(trace.Spans, "documentLoad", "submit"), post);
    }

    /// <summary>The spans named, as the browser's instrumentations send them (their scope says which).</summary>
    private static IReadOnlyList<TraceSpan> InTheBrowser(IReadOnlyList<TraceSpan> spans, params string[] names) =>
        [.. spans.Select(span => !names.Contains(span.Name) ? span
            : span with { Scope = span.Name == "submit" ? BrowserEnvelope.UserInteractionScope : BrowserEnvelope.DocumentLoadScope })];
}
