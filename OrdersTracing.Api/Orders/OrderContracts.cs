using System.Text.RegularExpressions;

namespace OrdersTracing.Api.Orders;

public sealed record CreateOrderRequest(IReadOnlyList<CreateOrderItem>? Items, string? PaymentMethod)
{
    public const int MaxItems = 50;
    public const int MaxQuantity = 1_000;
    public const decimal MaxUnitPrice = 100_000m;
    public const string DefaultPaymentMethod = "pm_card_visa";

    /// <summary>Every problem at once, keyed by JSON path, as <c>ValidationProblem</c> expects.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();

        if (Items is null || Items.Count == 0)
        {
            errors["items"] = ["An order needs at least one item."];
        }
        else if (Items.Count > MaxItems)
        {
            errors["items"] = [$"An order has at most {MaxItems} items."];
        }
        else
        {
            for (var i = 0; i < Items.Count; i++)
            {
                foreach (var (field, message) in Items[i]?.Validate() ?? [("", "An item cannot be null.")])
                {
                    errors[$"items[{i}]{field}"] = [message];
                }
            }
        }

        if (PaymentMethod is not null && !OrderPatterns.PaymentMethod().IsMatch(PaymentMethod))
        {
            errors["paymentMethod"] = ["A payment method looks like 'pm_card_visa'."];
        }

        return errors;
    }
}

public sealed record CreateOrderItem(string? Sku, int Quantity, decimal UnitPrice)
{
    internal IEnumerable<(string Field, string Message)> Validate()
    {
        if (Sku is null || !OrderPatterns.Sku().IsMatch(Sku))
        {
            yield return (".sku", "A SKU is 1 to 64 letters, digits, '-' or '_'.");
        }

        if (Quantity is < 1 or > CreateOrderRequest.MaxQuantity)
        {
            yield return (".quantity", $"Quantity must be between 1 and {CreateOrderRequest.MaxQuantity}.");
        }

        if (UnitPrice <= 0 || UnitPrice > CreateOrderRequest.MaxUnitPrice || decimal.Round(UnitPrice, 2) != UnitPrice)
        {
            yield return (".unitPrice", $"Unit price must be above 0 and at most {CreateOrderRequest.MaxUnitPrice}, in cents.");
        }
    }
}

public sealed record OrderItemResponse(string Sku, int Quantity, decimal UnitPrice);

public sealed record OrderResponse(
    Guid Id,
    string TenantId,
    string UserId,
    DateTimeOffset CreatedAt,
    decimal Total,
    string Currency,
    PaymentStatus PaymentStatus,
    string? PaymentId,
    string? PaymentError,
    IReadOnlyList<OrderItemResponse> Items)
{
    public static OrderResponse From(Order order) => new(
        order.Id,
        order.TenantId,
        order.UserId,
        order.CreatedAt,
        order.Total,
        order.Currency,
        order.PaymentStatus,
        order.PaymentId,
        order.PaymentError,
        [.. order.Items.Select(item => new OrderItemResponse(item.Sku, item.Quantity, item.UnitPrice))]);
}

public sealed record OrderSummary(Guid Id, DateTimeOffset CreatedAt, decimal Total, string Currency, PaymentStatus PaymentStatus);

public sealed record OrderPage(int Page, int PageSize, bool HasMore, IReadOnlyList<OrderSummary> Orders);

public sealed record OrderPageWithItems(int Page, int PageSize, bool HasMore, IReadOnlyList<OrderResponse> Orders);

internal static partial class OrderPatterns
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex Sku();

    [GeneratedRegex("^pm_[A-Za-z0-9_]{1,64}$")]
    public static partial Regex PaymentMethod();
}
