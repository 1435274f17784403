using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The running Api believes only a token Web signed: the identity headers it used to take are refused, and so is a forged token.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ServiceTokenTests(OrdersAppFixture fixture)
{
    [Fact]
    public async Task The_old_identity_headers_alone_are_refused_with_a_401_problem_and_write_nothing()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = Order() };
        request.Headers.Add("X-Tenant-Id", tenant);
        request.Headers.Add("X-User-Id", TestIds.User());

        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await ApiCalls.CountOrdersAsync(api, tenant));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_and_the_trace_shows_why_without_the_token()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, traceId) = (TestIds.Tenant(), TestIds.NewTraceId());
        var forger = new ServiceTokenIssuer(Options.Create(new ServiceTokenOptions { SigningKey = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N") }), TimeProvider.System);
        var forged = forger.Issue(tenant, TestIds.User());
        using var request = ApiCalls.Request(HttpMethod.Post, "/api/orders", tenant: null, user: null, Order(), traceId);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server));
        var raw = await fixture.Telemetry.WaitForRawAsync("spans", json => json.Contains(traceId, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var server = Assert.Single(spans, span => span.Service == "api" && span.Kind == TraceSpanKind.Server);
        Assert.Equal("401", server["http.response.status_code"]);
        Assert.Equal(ServiceTokenRefusals.BadSignature, server[ServiceTokenRefusals.Tag]);
        Assert.DoesNotContain(spans, span => span.Name == "orders.create");
        Assert.DoesNotContain(forged.Split('.')[2], raw, StringComparison.Ordinal);
        Assert.DoesNotContain(forged.Split('.')[1], raw, StringComparison.Ordinal);
        Assert.Equal(0, await ApiCalls.CountOrdersAsync(api, tenant));
    }

    private static JsonContent Order() => JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } } });
}
