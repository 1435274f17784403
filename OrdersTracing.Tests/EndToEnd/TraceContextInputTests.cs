using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// The W3C Trace Context test suite's requests, all at once, to Web (the public edge) and to the Api (internal, which
/// continues context): every one is served, none is a 500, and no invalid context is ever continued.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TraceContextInputTests(OrdersAppFixture fixture)
{
    [Fact]
    public async Task Web_serves_every_w3c_test_suite_request_in_a_new_trace_of_its_own()
    {
        using var web = fixture.CreateWebSession();

        var pages = await Task.WhenAll(W3CTraceContextCases.All.Select(async @case => (@case, page: await web.GetAsync("/", @case.Headers))));

        var failures = pages
            .Select(result => (result.@case, status: result.page.Status, traceId: result.page.Marker("trace-id")))
            .Where(result => result.status != HttpStatusCode.OK || result.traceId is null || SentBy(result.@case, result.traceId))
            .Select(result => $"{result.@case} -> {(int)result.status}, trace {result.traceId}")
            .ToList();
        Assert.True(failures.Count == 0, "Web continued or failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task The_api_serves_every_w3c_test_suite_request_and_continues_only_a_valid_traceparent()
    {
        using var api = fixture.CreateRawApiClient();
        var requests = W3CTraceContextCases.All.Select(@case => (@case, tenant: TestIds.Tenant())).ToList();

        var statuses = await Task.WhenAll(requests.Select(async request => await ListOrdersAsync(api, request.tenant, request.@case)));
        var tenants = requests.Select(request => request.tenant).ToHashSet();
        var spans = await fixture.Telemetry.WaitForSpansAsync(spans =>
            tenants.IsSubsetOf(spans.Where(span => span.Name == "orders.list").Select(span => span["tenant.id"] ?? "")));

        var failures = new List<string>();
        foreach (var ((@case, tenant), status) in requests.Zip(statuses))
        {
            var traceId = spans.First(span => span.Name == "orders.list" && span["tenant.id"] == tenant).TraceId;
            var continued = traceId == W3CTraceContextCases.TraceId;
            if (status != HttpStatusCode.OK
                || (@case.Expects == SpecExpects.SameTrace && !continued)
                || (@case.Expects == SpecExpects.NewTrace && SentBy(@case, traceId)))
            {
                failures.Add($"{@case} -> {(int)status}, trace {traceId}, expected {@case.Expects}");
            }
        }

        Assert.True(failures.Count == 0, "The Api broke the specification:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Baggage_sent_to_the_api_never_reaches_the_external_payment_provider_while_the_trace_does()
    {
        using var api = fixture.CreateRawApiClient();
        var traceId = TestIds.NewTraceId();
        using var request = ApiCalls.Request(HttpMethod.Post, "/api/orders?payment=Synchronous", TestIds.Tenant(), TestIds.User(),
            JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } } }), traceId);
        request.Headers.Add("baggage", "tenant.plan=enterprise,user.email=ada%40example.com");

        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var provider = Assert.Single(spans, span => span.Service == "payments" && span.Kind == TraceSpanKind.Server);
        Assert.Equal("false", provider["payments.request.baggage"]);
    }

    // A new trace id must not be the sent one, nor any 32 characters of what was sent.
    private static bool SentBy(TraceContextCase @case, string traceId) =>
        @case.Headers.Any(header => header.Value.Contains(traceId, StringComparison.OrdinalIgnoreCase));

    private static async Task<HttpStatusCode> ListOrdersAsync(HttpClient api, string tenant, TraceContextCase @case)
    {
        using var request = ApiCalls.Request(HttpMethod.Get, "/api/orders", tenant, "w3c-suite");
        foreach (var (name, value) in @case.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
