using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.ServiceDefaults.Webhooks;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Calls the Api the way Web does: as a tenant and user, named in a service token that the client's
/// <see cref="ServiceTokenHandler"/> signs (<see cref="OrdersAppFixture.CreateApiClient"/>).
/// </summary>
public static class ApiCalls
{
    /// <param name="traceId">Makes the call part of this trace, as a caller's <c>traceparent</c> does, so a test knows which trace to read back.</param>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient api, HttpMethod method, string path, string? tenant, string? user, HttpContent? content = null, string? traceId = null)
    {
        using var request = Request(method, path, tenant, user, content, traceId);
        return await api.SendAsync(request);
    }

    /// <summary>A request as Web sends it, for a test that sets more on it (headers, <c>Expect: 100-continue</c>) before sending.</summary>
    /// <param name="traceId">Makes the call part of this trace, as a caller's <c>traceparent</c> does, so a test knows which trace to read back.</param>
    /// <param name="sampled">The caller's sampling decision, which the Api's parent-based sampler follows.</param>
    public static HttpRequestMessage Request(
        HttpMethod method, string path, string? tenant, string? user, HttpContent? content = null, string? traceId = null, bool sampled = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (traceId is not null)
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{TestIds.NewSpanId()}-{(sampled ? "01" : "00")}");
        }

        // Without both there is no caller to sign a token for, and the call goes out with none.
        if (tenant is not null && user is not null)
        {
            ServiceTokenHandler.ActAs(request, tenant, user);
        }

        return request;
    }

    /// <summary>Places a small paid order and returns its id.</summary>
    public static async Task<string> CreateOrderAsync(HttpClient api, string tenant, string user)
    {
        var order = JsonContent.Create(new { items = new[] { new { sku = "coffee-beans", quantity = 1, unitPrice = 9.50m } } });
        using var response = await SendAsync(api, HttpMethod.Post, "/api/orders", tenant, user, order);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Places an order the provider declines, charged in the request: it is kept as <c>payment_failed</c>, and no worker touches it again.</summary>
    public static async Task<string> PlaceDeclinedOrderAsync(HttpClient api, string tenant)
    {
        var order = JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } }, paymentMethod = "pm_card_chargeDeclined" });
        using var response = await SendAsync(api, HttpMethod.Post, "/api/orders?payment=Synchronous", tenant, TestIds.User(), order);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("orderId").GetString()!;
    }

    /// <summary>The provider's <c>payment_intent.succeeded</c> for an order, signed with the webhook secret as the provider signs it.</summary>
    public static HttpRequestMessage SucceededWebhook(string orderId, string tenant, string paymentId, string secret)
    {
        var body = JsonSerializer.Serialize(new
        {
            type = "payment_intent.succeeded",
            data = new { @object = new { id = paymentId, metadata = new { order_id = orderId, tenant_id = tenant } } },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(body, secret, DateTimeOffset.UtcNow));
        return request;
    }

    /// <summary>An order's payment status as its tenant reads it (<c>pending</c>, <c>paid</c>, <c>payment_failed</c>).</summary>
    public static async Task<string?> PaymentStatusAsync(HttpClient api, string tenant, string orderId)
    {
        using var response = await SendAsync(api, HttpMethod.Get, $"/api/orders/{orderId}", tenant, TestIds.User());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("paymentStatus").GetString();
    }

    /// <summary>How many orders the tenant sees: what a refused request must leave unchanged.</summary>
    public static async Task<int> CountOrdersAsync(HttpClient api, string tenant)
    {
        using var listing = await SendAsync(api, HttpMethod.Get, "/api/orders?pageSize=100", tenant, TestIds.User());
        listing.EnsureSuccessStatusCode();
        return (await listing.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("orders").GetArrayLength();
    }
}
