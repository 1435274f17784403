using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrdersTracing.Web.Orders;

namespace OrdersTracing.Web.Pages.Orders;

public sealed class NewModel(OrdersApiClient orders) : PageModel
{
    /// <summary>The Api's own limit; more rows than it accepts would only be refused after typing them.</summary>
    public const int MaxRows = 50;

    public static readonly IReadOnlyDictionary<string, string> PaymentMethods = new Dictionary<string, string>
    {
        ["pm_card_visa"] = "Visa ending 4242 (succeeds)",
        ["pm_card_chargeDeclined"] = "Card ending 0002 (declined)",
    };

    /// <summary>The Api's <c>payment</c> choices; empty leaves it to the Api's <c>Scenarios:Payments</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> ChargeTimes = new Dictionary<string, string>
    {
        [""] = "As the system is set up",
        ["Synchronous"] = "Now, while I wait",
        ["Background"] = "In the background, the order page follows it",
    };

    [BindProperty]
    public List<ItemInput> Items { get; set; } = [new()];

    [BindProperty]
    public string PaymentMethod { get; set; } = "pm_card_visa";

    [BindProperty]
    public string? ChargeTime { get; set; }

    public ProblemDetails? Problem { get; private set; }

    public Guid? FailedOrderId { get; private set; }

    public IActionResult OnPostAddRow()
    {
        // Nothing is validated yet: the person is still typing, and what they typed stays as it was.
        ModelState.Clear();
        if (Items.Count < MaxRows)
        {
            Items.Add(new ItemInput());
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // A row left empty is skipped, so one item needs no more than one filled row; the Api judges the rest.
        var rows = Enumerable.Range(0, Items.Count).Where(row => !Items[row].IsEmpty).ToList();
        var items = rows.Select(row => Items[row].ToNewOrderItem()).ToList();
        var payment = ChargeTime is { Length: > 0 } && ChargeTimes.ContainsKey(ChargeTime) ? ChargeTime : null;

        var result = await orders.CreateOrderAsync(User, new NewOrder(items, PaymentMethod), payment, cancellationToken);
        if (result.Value is { } created)
        {
            TempData[DetailsModel.CreatedInTraceKey] = Activity.Current?.TraceId.ToHexString();
            return Redirect($"/orders/{created.Id}");
        }

        Problem = result.Problem;
        FailedOrderId = Problem?.Extensions.TryGetValue("orderId", out var orderId) == true && Guid.TryParse(orderId?.ToString(), out var id)
            ? id
            : null;
        if (Problem is not null)
        {
            OrderFormErrors.AddTo(ModelState, Problem, rows);
        }

        Response.StatusCode = Problem?.Status ?? StatusCodes.Status502BadGateway;
        return Page();
    }

    public sealed class ItemInput
    {
        public string? Sku { get; set; }

        public int? Quantity { get; set; } = 1;

        public decimal? UnitPrice { get; set; }

        /// <summary>A row with neither a SKU nor a price; its quantity alone (1 unless changed) says nothing.</summary>
        public bool IsEmpty => string.IsNullOrWhiteSpace(Sku) && UnitPrice is null;

        public NewOrderItem ToNewOrderItem() => new(Sku?.Trim() ?? "", Quantity ?? 0, UnitPrice ?? 0);
    }
}
