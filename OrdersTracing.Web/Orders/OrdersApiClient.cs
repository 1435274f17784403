using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.Web.Identity;

namespace OrdersTracing.Web.Orders;

/// <summary>Calls the Api on behalf of the signed-in user, whom <see cref="ServiceTokenHandler"/> names in a signed token; the Api's ProblemDetails come back as <see cref="ApiResult{T}.Problem"/>.</summary>
public sealed class OrdersApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <param name="payment">The Api's <c>payment</c> choice (<c>Synchronous</c> or <c>Background</c>), or null for its default.</param>
    public Task<ApiResult<OrderView>> CreateOrderAsync(ClaimsPrincipal user, NewOrder order, string? payment, CancellationToken cancellationToken) =>
        SendAsync<OrderView>(
            user, HttpMethod.Post, payment is null ? "/api/orders" : $"/api/orders?payment={Uri.EscapeDataString(payment)}",
            JsonContent.Create(order, options: JsonOptions), cancellationToken);

    public Task<ApiResult<OrderPageView>> ListOrdersAsync(ClaimsPrincipal user, int page, CancellationToken cancellationToken) =>
        SendAsync<OrderPageView>(user, HttpMethod.Get, $"/api/orders?page={page}&pageSize=20", content: null, cancellationToken);

    public Task<ApiResult<OrderView>> GetOrderAsync(ClaimsPrincipal user, Guid orderId, CancellationToken cancellationToken) =>
        SendAsync<OrderView>(user, HttpMethod.Get, $"/api/orders/{orderId}", content: null, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(
        ClaimsPrincipal user, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var (tenantId, userId) = user.GetCaller();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        ServiceTokenHandler.ActAs(request, tenantId, userId);

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken), null);
        }

        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<ProblemDetails>(JsonOptions, cancellationToken)
            : null;
        return new ApiResult<T>(default, problem ?? new ProblemDetails { Status = (int)response.StatusCode, Title = response.ReasonPhrase });
    }
}

public sealed record ApiResult<T>(T? Value, ProblemDetails? Problem);

public sealed record NewOrder(IReadOnlyList<NewOrderItem> Items, string PaymentMethod);

public sealed record NewOrderItem(string Sku, int Quantity, decimal UnitPrice);

public sealed record OrderItemView(string Sku, int Quantity, decimal UnitPrice);

public sealed record OrderView(
    Guid Id, string TenantId, string UserId, DateTimeOffset CreatedAt, decimal Total, string Currency,
    string PaymentStatus, string? PaymentId, string? PaymentError, IReadOnlyList<OrderItemView> Items);

public sealed record OrderSummaryView(Guid Id, DateTimeOffset CreatedAt, decimal Total, string Currency, string PaymentStatus);

public sealed record OrderPageView(int Page, int PageSize, bool HasMore, IReadOnlyList<OrderSummaryView> Orders);
