using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using OrdersTracing.Tests.EndToEnd.Support;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// The relay on Web that carries the pages' spans is open to anyone: each test sends what a hostile or broken client
/// would, and checks it is refused with a ProblemDetails or scrubbed, and that the relay still takes a good export after.
/// </summary>
[Collection(BrowserTelemetryRelayCollection.Name)]
public sealed class BrowserTelemetryRelayTests(OrdersAppFixture fixture) : IDisposable
{
    // The relay's defaults (BrowserTelemetryOptions), which the tests' figures follow.
    private const int MaxRequestBytes = 64 * 1024;
    private const int RequestsPerWindow = 60;
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly HttpClient web = fixture.CreateRawWebClient();

    [Fact]
    public async Task An_export_over_the_size_cap_is_refused_with_413_and_the_relay_takes_the_next_one()
    {
        var huge = OtlpJsonExports.Span(TestIds.NewTraceId(), TestIds.NewSpanId(), attributes: new Dictionary<string, string> { ["http.url"] = "http://x/" + new string('a', MaxRequestBytes) });

        using var refused = await RelayAsync(() => OtlpJsonExports.Json(huge));

        await AssertRefusedAsync(refused, HttpStatusCode.RequestEntityTooLarge, "too_large");
        await AssertRelayTakesAGoodExportAsync();
    }

    [Fact]
    public async Task A_flood_from_one_client_is_cut_to_the_rate_cap_with_429_and_the_relay_recovers_after_the_window()
    {
        // Each export claims another client in X-Forwarded-For; with no known proxy (the default) it is still one client.
        await WaitForAFreshWindowAsync();
        var body = OtlpJsonExports.Span(TestIds.NewTraceId(), TestIds.NewSpanId());

        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? firstRefusal = null;
        for (var i = 0; i < RequestsPerWindow * 3; i++)
        {
            using var export = new HttpRequestMessage(HttpMethod.Post, OtlpJsonExports.RelayPath) { Content = OtlpJsonExports.Json(body) };
            export.Headers.Add("X-Forwarded-For", $"203.0.113.{i % 250}");
            var response = await web.SendAsync(export, TestContext.Current.CancellationToken);
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && firstRefusal is null)
            {
                firstRefusal = response;
                continue;
            }

            response.Dispose();
        }

        Assert.InRange(answers.Count(status => status == HttpStatusCode.OK), 1, RequestsPerWindow);
        Assert.True(answers.Count(status => status == HttpStatusCode.TooManyRequests) >= RequestsPerWindow * 2, string.Join(",", answers.Select(s => (int)s)));
        Assert.NotNull(firstRefusal);
        await AssertRefusedAsync(firstRefusal, HttpStatusCode.TooManyRequests, "rate_limited");
        firstRefusal.Dispose();
        await Task.Delay(RateWindow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await AssertRelayTakesAGoodExportAsync();
    }

    [Fact]
    public async Task Spans_claiming_another_service_arrive_as_the_browser_with_only_the_instrumentations_attributes()
    {
        var (traceId, spanId) = (TestIds.NewTraceId(), TestIds.NewSpanId());
        var body = OtlpJsonExports.Span(traceId, spanId,
            resource: new Dictionary<string, string> { ["service.name"] = "api", ["deployment.environment"] = "production", ["service.version"] = "9.9.9" },
            attributes: new Dictionary<string, string> { ["tenant.id"] = "someone-else", ["http.url"] = "http://localhost/orders", ["peer.service"] = "api" });

        using var response = await RelayAsync(() => OtlpJsonExports.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = Assert.Single(await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Count > 0));
        Assert.Equal("browser", span.Service);
        Assert.Equal("development", span.Resource.GetValueOrDefault("deployment.environment"));
        Assert.False(span.Resource.ContainsKey("service.version"), "the browser's service.version was forwarded");
        Assert.Null(span["tenant.id"]);
        Assert.Null(span["peer.service"]);
        Assert.Equal("http://localhost/orders", span["http.url"]);
    }

    [Fact]
    public async Task Secrets_in_a_browser_span_are_scrubbed_before_the_backend_sees_them()
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        var (email, token, apiKey, card) = ($"ada.{unique}@example.com", $"sk_live_{unique}", $"key_{unique}", "4242424242424242");
        var traceId = TestIds.NewTraceId();
        var body = OtlpJsonExports.Span(traceId, TestIds.NewSpanId(), name: $"click {card}", attributes: new Dictionary<string, string>
        {
            ["http.url"] = $"http://ada:{token}@localhost/orders?api_key={apiKey}&email={Uri.EscapeDataString(email)}#{token}",
            ["target_xpath"] = $"//*[@id=\"{email}\"]",
            ["http.user_agent"] = $"Bearer {token}",
            ["target_element"] = card,
            ["authorization"] = $"Bearer {token}",
        });

        using var response = await RelayAsync(() => OtlpJsonExports.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await fixture.Telemetry.WaitForRawAsync("spans", json => json.Contains(traceId, StringComparison.Ordinal));
        var trace = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Count > 0);
        Assert.All(new[] { email, Uri.EscapeDataString(email), token, apiKey, card }, secret => Assert.DoesNotContain(secret, raw, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("http://localhost/orders?api_key=Redacted&email=Redacted", Assert.Single(trace)["http.url"]);
    }

    [Theory]
    [InlineData("application/json", "not json at all")]
    [InlineData("application/json", "{\"resourceSpans\": 42}")]
    [InlineData("application/json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"xyz\", \"spanId\": \"0102030405060708\", \"name\": \"a\", \"startTimeUnixNano\": \"1\", \"endTimeUnixNano\": \"2\"}]}]}]}")]
    [InlineData("application/json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"00000000000000000000000000000000\", \"spanId\": \"0102030405060708\", \"name\": \"a\", \"startTimeUnixNano\": \"1\", \"endTimeUnixNano\": \"2\"}]}]}]}")]
    [InlineData("application/json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"0102030405060708090a0b0c0d0e0f10\", \"spanId\": \"0102030405060708\", \"name\": \"a\", \"startTimeUnixNano\": \"9\", \"endTimeUnixNano\": \"2\"}]}]}]}")]
    [InlineData("application/json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"0102030405060708090a0b0c0d0e0f10\", \"spanId\": \"0102030405060708\", \"name\": \"a\", \"kind\": \"server\", \"startTimeUnixNano\": \"1\", \"endTimeUnixNano\": \"2\"}]}]}]}")]
    [InlineData("application/json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    [InlineData("application/x-protobuf", "\u000a\u0002\u0008\u0001")]
    [InlineData("text/plain", "{\"resourceSpans\": []}")]
    public async Task Malformed_otlp_is_refused_with_a_problem_and_the_relay_and_web_stay_well(string contentType, string body)
    {
        using var response = await RelayAsync(() =>
        {
            var content = new StringContent(body, System.Text.Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return content;
        });

        await AssertRefusedAsync(response, contentType == "application/json" ? HttpStatusCode.BadRequest : HttpStatusCode.UnsupportedMediaType,
            contentType == "application/json" ? "malformed" : "unsupported_media_type");
        using var health = await web.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await AssertRelayTakesAGoodExportAsync();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
    }

    /// <summary>A good export is taken and reaches the dashboard: whatever came before left the relay and the backend working.</summary>
    private async Task AssertRelayTakesAGoodExportAsync()
    {
        var traceId = TestIds.NewTraceId();
        using var response = await RelayAsync(() => OtlpJsonExports.Json(OtlpJsonExports.Span(traceId, TestIds.NewSpanId())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Service == "browser"));
    }

    /// <summary>
    /// Posts to the relay as one client; every test here is that same client (and so are the browser tests), so an
    /// export refused for the rate is sent once more after the window: only the flood test is about the rate.
    /// </summary>
    private async Task<HttpResponseMessage> RelayAsync(Func<HttpContent> content)
    {
        var response = await web.PostAsync(OtlpJsonExports.RelayPath, content(), TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return response;
        }

        response.Dispose();
        await WaitForAFreshWindowAsync();
        return await web.PostAsync(OtlpJsonExports.RelayPath, content(), TestContext.Current.CancellationToken);
    }

    /// <summary>Browser tests before this one sent exports from the same address; the flood's figures start from none.</summary>
    private static Task WaitForAFreshWindowAsync() => Task.Delay(RateWindow, TestContext.Current.CancellationToken);

    public void Dispose() => web.Dispose();
}
