using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// How a page's submit, the request it causes and the redirect that answers it stay one trace at a public edge: only a
/// context whose proof the edge issued is continued (the test client calls from 127.0.0.1, which is not trusted).
/// </summary>
public sealed class PageTraceContextTests
{
    private static readonly ActivityTraceId PageTrace = ActivityTraceId.CreateRandom();
    private static readonly ActivitySpanId SubmitSpan = ActivitySpanId.CreateRandom();

    [Fact]
    public async Task A_submit_with_the_proof_of_its_page_continues_the_pages_trace_and_its_cookie_is_deleted()
    {
        await using var edge = await StartEdgeAsync();
        var proof = ProofOf(edge, PageTrace, ActivityTraceFlags.Recorded);

        using var response = await SendAsync(edge, "/submit", $"00-{PageTrace}-{SubmitSpan}-01.{proof}");
        var server = await edge.WaitForServerSpanAsync("/submit");

        Assert.Equal((PageTrace, SubmitSpan), (server.TraceId, server.ParentSpanId));
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), cookie =>
            cookie.StartsWith($"{PageTraceContext.CookieName}=;", StringComparison.Ordinal) && cookie.Contains("path=/submit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("another trace")]
    [InlineData("sampling turned on")]
    [InlineData("not a proof")]
    [InlineData("no proof")]
    public async Task A_submit_without_a_proof_for_its_own_trace_and_flags_starts_a_new_trace(string forgery)
    {
        await using var edge = await StartEdgeAsync();
        var cookie = forgery switch
        {
            "another trace" => $"00-{PageTrace}-{SubmitSpan}-01.{ProofOf(edge, ActivityTraceId.CreateRandom(), ActivityTraceFlags.Recorded)}",
            "sampling turned on" => $"00-{PageTrace}-{SubmitSpan}-01.{ProofOf(edge, PageTrace, ActivityTraceFlags.None)}",
            "not a proof" => $"00-{PageTrace}-{SubmitSpan}-01.CfDJ8forged",
            _ => $"00-{PageTrace}-{SubmitSpan}-01",
        };

        using var response = await SendAsync(edge, "/submit", cookie);
        var server = await edge.WaitForServerSpanAsync("/submit");

        Assert.NotEqual(PageTrace, server.TraceId);
        Assert.Equal(default, server.ParentSpanId);
    }

    [Fact]
    public async Task A_redirect_hands_the_redirected_request_the_context_of_the_request_that_answered_it()
    {
        await using var edge = await StartEdgeAsync();

        using var redirect = await SendAsync(edge, "/redirect", cookie: null);
        var handedOver = Assert.Single(redirect.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith(PageTraceContext.CookieName + "=", StringComparison.Ordinal));
        using var landing = await SendAsync(edge, "/landing", handedOver.Split(';')[0][(PageTraceContext.CookieName.Length + 1)..]);
        var first = await edge.WaitForServerSpanAsync("/redirect");
        var second = await edge.WaitForServerSpanAsync("/landing");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Contains("path=/landing", handedOver, StringComparison.Ordinal);
        Assert.Contains("httponly", handedOver, StringComparison.Ordinal);
        Assert.Equal((first.TraceId, first.SpanId), (second.TraceId, second.ParentSpanId));
    }

    [Theory]
    [InlineData("//elsewhere.example/landing")]
    [InlineData("https://elsewhere.example/landing")]
    public async Task A_redirect_to_another_site_hands_it_nothing(string location)
    {
        await using var edge = await StartEdgeAsync();

        using var redirect = await SendAsync(edge, "/redirect?to=" + Uri.EscapeDataString(location), cookie: null);

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.False(redirect.Headers.Contains("Set-Cookie"));
    }

    private static async Task<TelemetryTestHost> StartEdgeAsync()
    {
        var edge = TelemetryTestHost.CreateWeb(
            app =>
            {
                app.MapPost("/submit", () => "done");
                app.MapGet("/redirect", (string? to) => Results.Redirect(to ?? "/landing"));
                app.MapGet("/landing", () => "landed");
            },
            builder => builder.AddTraceContextTrustBoundary());
        await edge.StartAsync();
        return edge;
    }

    /// <summary>The proof the edge writes into a page rendered in <paramref name="trace"/>.</summary>
    private static string ProofOf(TelemetryTestHost edge, ActivityTraceId trace, ActivityTraceFlags flags)
    {
        using var page = new Activity("page");
        page.SetParentId(trace, ActivitySpanId.CreateRandom(), flags);
        page.Start();
        page.ActivityTraceFlags = flags;
        return edge.Services.GetRequiredService<PageTraceContext>().Proof(page)!;
    }

    private static async Task<HttpResponseMessage> SendAsync(TelemetryTestHost edge, string pathAndQuery, string? cookie)
    {
        // Cookies and redirects by hand, as the browser does them; no propagator, so the client adds no traceparent.
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = edge.BaseAddress,
        };
        using var request = new HttpRequestMessage(pathAndQuery == "/submit" ? HttpMethod.Post : HttpMethod.Get, pathAndQuery);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{PageTraceContext.CookieName}={cookie}");
        }

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
