using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrdersTracing.Web.Orders;

namespace OrdersTracing.Web.Pages.Orders;

public sealed class NewModel(OrdersApiClient orders) : PageModel
{
    private const int ItemRows = 3;

    public static readonly IReadOnlyDictionary<string, string> PaymentMethods = new Dictionary<string, string>
    {
        ["pm_card_visa"] = "Visa ending 4242 (succeeds)",
        ["pm_card_chargeDeclined"] = "Card ending 0002 (declined)",
    };

    [BindProperty]
    public List<ItemInput> Items { get; set; } = [.. Enumerable.Range(0, ItemRows).Select(_ => new ItemInput())];

    [BindProperty]
    public string PaymentMethod { get; set; } = "pm_card_visa";

    public ProblemDetails? Problem { get; private set; }

    public Guid? FailedOrderId { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var items = Items
            .Where(item => !string.IsNullOrWhiteSpace(item.Sku))
            .Select(item => new NewOrderItem(item.Sku!.Trim(), item.Quantity, item.UnitPrice))
            .ToList();

        var result = await orders.CreateOrderAsync(User, new NewOrder(items, PaymentMethod), cancellationToken);
        if (result.Value is { } created)
        {
            TempData[DetailsModel.CreatedInTraceKey] = Activity.Current?.TraceId.ToHexString();
            return Redirect($"/orders/{created.Id}");
        }

        Problem = result.Problem;
        FailedOrderId = Problem?.Extensions.TryGetValue("orderId", out var orderId) == true && Guid.TryParse(orderId?.ToString(), out var id)
            ? id
            : null;
        Response.StatusCode = Problem?.Status ?? StatusCodes.Status502BadGateway;
        return Page();
    }

    public sealed class ItemInput
    {
        public string? Sku { get; set; }

        public int Quantity { get; set; } = 1;

        public decimal UnitPrice { get; set; }
    }
}
